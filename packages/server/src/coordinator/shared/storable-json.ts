import { badRequest } from '../../http/server-error.ts';

const MAX_DEPTH = 16;
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * JSON Schema checks shapes but not what Postgres can store: `\u0000` and lone surrogates are
 * refused by `jsonb` and `text`, and very deep nesting overflows the stack when serialised. Bad
 * input must be a 400, so every free-form value is walked here before it reaches SQL.
 */
export function assertStorable(value: unknown, field: string, depth = 0): void {
  if (depth > MAX_DEPTH) throw badRequest(`${field} is nested more than ${MAX_DEPTH} levels deep`);
  if (typeof value === 'string') {
    assertStorableText(value, field);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) assertStorable(item, field, depth + 1);
    return;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      assertStorableText(key, field);
      assertStorable(item, field, depth + 1);
    }
  }
}

/** assertStorable for each named field of a request body (absent ones pass), in the order named. */
export function assertStorableFields<Body extends object>(body: Body, fields: ReadonlyArray<keyof Body & string>): void {
  for (const field of fields) assertStorable(body[field], field);
}

/** Refuses text Postgres cannot hold. */
export function assertStorableText(value: string, field: string): void {
  if (UNSTORABLE.test(value)) {
    throw badRequest(`${field} contains a NUL character or an unpaired surrogate`);
  }
}

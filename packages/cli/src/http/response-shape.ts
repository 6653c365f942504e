import { schemaChecker, type Page, type SchemaCheck, type UncheckedBody } from '@caracal/protocol';
import type { Static, TSchema } from 'typebox';
import { CliError } from '../errors.ts';

/**
 * Answers are shown as the server sent them, so most are only checked to be objects and their
 * fields read with care (`UncheckedBody`). An answer the CLI computes with is checked against its
 * protocol schema (`expectBody`).
 */

/** Checks that a response body is a JSON object; `what` names the call in the error. */
export function expectObject<Body>(value: unknown, what: string): UncheckedBody<Body> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CliError('invalid_response', `${what}: expected a JSON object from the server`);
  }
  return value as UncheckedBody<Body>;
}

/**
 * Checks a list page's frame (docs/decisions/2026-12-04-wire-conventions.md); a missing or empty
 * `next_cursor` is read as the last page.
 */
export function expectPage<Item>(value: unknown, what: string): Page<UncheckedBody<Item>> {
  const body = expectObject<Page<Item>>(value, what);
  const items = body.items;
  if (!Array.isArray(items) || !items.every((item) => typeof item === 'object' && item !== null && !Array.isArray(item))) {
    throw new CliError('invalid_response', `${what}: expected { items: [...] } from the server`);
  }
  const cursor = body.next_cursor;
  return { items: items as Array<UncheckedBody<Item>>, next_cursor: typeof cursor === 'string' && cursor !== '' ? cursor : null };
}

/** Compiled once per schema, on first use. */
const checkers = new WeakMap<TSchema, (value: unknown) => SchemaCheck<unknown>>();

/** Checks a response body against its protocol schema and returns it typed. */
export function expectBody<Schema extends TSchema>(schema: Schema, value: unknown, what: string): Static<Schema> {
  let check = checkers.get(schema);
  if (check === undefined) {
    check = schemaChecker(schema);
    checkers.set(schema, check);
  }
  const result = check(value);
  if (!result.ok) throw new CliError('invalid_response', `${what}: unexpected answer from the server: ${result.problem}`);
  return result.value as Static<Schema>;
}

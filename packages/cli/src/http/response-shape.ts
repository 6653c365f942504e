import { CliError } from '../errors.ts';

export type Row = Record<string, unknown>;

/** A page of a list: `{ items, next_cursor }` (docs/decisions/2026-12-04-wire-conventions.md). */
export interface Page {
  items: Row[];
  nextCursor: string | undefined;
}

/** Checks that a response body is a JSON object; `what` names the call in the error. */
export function expectObject(value: unknown, what: string): Row {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CliError('invalid_response', `${what}: expected a JSON object from the server`);
  }
  return value as Row;
}

/** Checks a list page; a missing `next_cursor` is read as the last page. */
export function expectPage(value: unknown, what: string): Page {
  const body = expectObject(value, what);
  const items = body.items;
  if (!Array.isArray(items) || !items.every((item) => typeof item === 'object' && item !== null && !Array.isArray(item))) {
    throw new CliError('invalid_response', `${what}: expected { items: [...] } from the server`);
  }
  const cursor = body.next_cursor;
  return { items: items as Row[], nextCursor: typeof cursor === 'string' && cursor !== '' ? cursor : undefined };
}

/** Reads a numeric field of a response, e.g. `revoked_edges`. */
export function expectCount(body: Row, field: string, what: string): number {
  const value = body[field];
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new CliError('invalid_response', `${what}: expected an integer ${field} from the server`);
  }
  return value;
}

import type { Page, UncheckedBody } from '@caracal/protocol';
import { CliError } from '../errors.ts';

/**
 * Answers are shown as the server sent them, so most are only checked to be objects and their
 * fields read with care (`UncheckedBody`). An answer the CLI computes with is checked against its
 * protocol schema (`expectBody`, in checked-body.ts: loaded only when needed, so that
 * typebox stays out of every command's start-up).
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

import { PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX } from '@caracal/protocol';
import { badRequest } from './server-error.ts';

export interface PageRequest {
  limit: number;
  /** List items whose key sorts strictly after this one. */
  afterKey: string | undefined;
}

/**
 * Reads `limit` (1–500, default 100) and the opaque `cursor` of a list request (the `PageQuery`
 * fields, already checked for shape). A cursor is the base64url of the last key of the previous
 * page; lists are ordered by that key, and `keyPattern` says what a key looks like.
 */
export function pageRequest(query: { limit?: string | undefined; cursor?: string | undefined }, keyPattern: string): PageRequest {
  const limit = query.limit === undefined ? PAGE_LIMIT_DEFAULT : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > PAGE_LIMIT_MAX) {
    throw badRequest(`limit must be an integer from 1 to ${PAGE_LIMIT_MAX}`);
  }
  if (query.cursor === undefined) return { limit, afterKey: undefined };
  const afterKey = Buffer.from(query.cursor, 'base64url').toString('utf8');
  if (!new RegExp(keyPattern).test(afterKey)) throw badRequest('cursor is not one this server issued');
  return { limit, afterKey };
}

/** The key of rows listed in id order (every Coordinator list). */
export const byId = (row: { id: string }): string => row.id;

/** The keys of a list in id order, ids shaped like `pattern` (for listedPage). */
export function idKeys(pattern: string): { pattern: string; of: (row: { id: string }) => string } {
  return { pattern, of: byId };
}

/** Cuts the one extra row a repository fetched (limit + 1) into the page and its cursor. */
export function toPage<Row, Item>(
  rows: readonly Row[],
  limit: number,
  view: (row: Row) => Item,
  keyOf: (row: Row) => string,
): { items: Item[]; next_cursor: string | null } {
  const more = rows.length > limit;
  const pageRows = more ? rows.slice(0, limit) : rows;
  const last = pageRows.at(-1);
  return {
    items: pageRows.map(view),
    next_cursor: more && last !== undefined ? Buffer.from(keyOf(last), 'utf8').toString('base64url') : null,
  };
}

/**
 * Answers a list request in one step: reads the page its `limit` and `cursor` ask for with `list`
 * (rows in `keyOf` order, keys shaped like `keyPattern`), then cuts it with toPage.
 */
export async function listedPage<Row, Item>(
  query: { limit?: string | undefined; cursor?: string | undefined },
  keys: { pattern: string; of: (row: Row) => string },
  list: (page: PageRequest) => Promise<Row[]>,
  view: (row: Row) => Item,
): Promise<{ items: Item[]; next_cursor: string | null }> {
  const page = pageRequest(query, keys.pattern);
  return toPage(await list(page), page.limit, view, keys.of);
}

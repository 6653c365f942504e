import { badRequest } from '../../http/server-error.ts';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 500;

export interface PageRequest {
  limit: number;
  /** List items with ids strictly after this one. */
  afterId: string | undefined;
}

export interface Page<Item> {
  items: Item[];
  next_cursor: string | null;
}

/**
 * Reads `limit` (1–500) and the opaque `cursor` of a list request. A cursor is the base64url of
 * the last id of the previous page; lists are ordered by id, which is ordered by creation time.
 */
export function pageRequest(query: { limit?: string; cursor?: string }, idPattern: string): PageRequest {
  const limit = query.limit === undefined ? DEFAULT_PAGE_SIZE : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw badRequest(`limit must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
  if (query.cursor === undefined) return { limit, afterId: undefined };
  const afterId = Buffer.from(query.cursor, 'base64url').toString('utf8');
  if (!new RegExp(idPattern).test(afterId)) throw badRequest('cursor is not one this server issued');
  return { limit, afterId };
}

/** Cuts the one extra row a repository fetched (limit + 1) into the page and its cursor. */
export function toPage<Row extends { id: string }, Item>(rows: Row[], limit: number, view: (row: Row) => Item): Page<Item> {
  const more = rows.length > limit;
  const pageRows = more ? rows.slice(0, limit) : rows;
  const last = pageRows.at(-1);
  return {
    items: pageRows.map(view),
    next_cursor: more && last !== undefined ? Buffer.from(last.id, 'utf8').toString('base64url') : null,
  };
}

import { PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX } from '@caracal/protocol';
import { badRequest } from '../../http/server-error.ts';

/** `limit` (1–500, default 100) and `cursor` of a list query whose shape PageQuery checked. */
export function readPage(query: { limit?: string; cursor?: string }): { limit: number; cursor: string | undefined } {
  const limit = query.limit === undefined ? PAGE_LIMIT_DEFAULT : Number(query.limit);
  if (!(limit >= 1 && limit <= PAGE_LIMIT_MAX)) throw badRequest(`limit must be an integer 1–${PAGE_LIMIT_MAX}`);
  return { limit, cursor: query.cursor };
}

import { DRY_RUN_IDS_MAX } from '@caracal/protocol';

/**
 * SQL: the ids of a CTE's changed rows as a text array, in id order, one more than a dry run lists,
 * so the answer can tell a full list from a cut one (see capImpactIds).
 */
export function impactIds(cte: string): string {
  return `ARRAY(SELECT id FROM ${cte} ORDER BY id LIMIT ${DRY_RUN_IDS_MAX + 1})::text[]`;
}

/** The ids a dry run answers: at most DRY_RUN_IDS_MAX, with `truncated: true` when cut. */
export function capImpactIds(ids: readonly string[]): { ids: string[]; truncated: boolean } {
  return ids.length > DRY_RUN_IDS_MAX ? { ids: ids.slice(0, DRY_RUN_IDS_MAX), truncated: true } : { ids: [...ids], truncated: false };
}

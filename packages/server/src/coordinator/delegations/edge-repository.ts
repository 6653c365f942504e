import type { DelegationChainLink, EdgeStatus } from '@caracal/protocol';
import type { Queryable } from '../../db/database.ts';
import type { PageRequest } from '../../http/pagination.ts';
import { SqlParameters } from '../shared/sql-parameters.ts';
import type { EdgeRow } from './edge-row.ts';

export const EDGE_COLUMNS = `id, zone_id, source_session_id, target_session_id, issuer_application_id, receiver_application_id,
  parent_edge_id, scopes, resource_id, constraints, max_hops, budget_remaining, status, expires_at, created_at, revoked_at,
  edge_version, origin`;

export async function findEdge(database: Queryable, id: string): Promise<EdgeRow | undefined> {
  const result = await database.query<EdgeRow>(`SELECT ${EDGE_COLUMNS} FROM delegation_edges WHERE id = $1`, [id], { prepare: true });
  return result.rows[0];
}

export interface EdgeFilters {
  zoneId: string;
  sourceSessionId?: string;
  targetSessionId?: string;
  status?: EdgeStatus;
  /** Only edges issued to or by this application (non-admin callers). */
  applicationId?: string;
}

/** One page of a zone's edges in id order (one row extra to tell if more follow). */
export async function listEdges(database: Queryable, filters: EdgeFilters, page: PageRequest): Promise<EdgeRow[]> {
  const p = new SqlParameters();
  const conditions = [`zone_id = ${p.add(filters.zoneId)}`];
  if (filters.sourceSessionId !== undefined) conditions.push(`source_session_id = ${p.add(filters.sourceSessionId)}`);
  if (filters.targetSessionId !== undefined) conditions.push(`target_session_id = ${p.add(filters.targetSessionId)}`);
  if (filters.status !== undefined) conditions.push(`status = ${p.add(filters.status)}`);
  if (filters.applicationId !== undefined) {
    const application = p.add(filters.applicationId, '::text');
    conditions.push(`(issuer_application_id = ${application} OR receiver_application_id = ${application})`);
  }
  if (page.afterKey !== undefined) conditions.push(`id > ${p.add(page.afterKey)}`);
  const result = await database.query<EdgeRow>(
    `SELECT ${EDGE_COLUMNS} FROM delegation_edges WHERE ${conditions.join(' AND ')} ORDER BY id LIMIT ${p.add(page.limit + 1)}`,
    p.values,
  );
  return result.rows;
}

/**
 * The chain an edge belongs to: its ancestors through `parent_edge_id` up to the root edge, the
 * edge itself, and every edge derived from it, ordered root → leaves (depth 0 is the root edge).
 */
export async function traverseChain(database: Queryable, edgeId: string): Promise<DelegationChainLink[]> {
  const result = await database.query<DelegationChainLink>(
    `WITH RECURSIVE ancestors AS (
       SELECT id, parent_edge_id, 0 AS steps FROM delegation_edges WHERE id = $1
       UNION ALL
       SELECT e.id, e.parent_edge_id, a.steps + 1 FROM delegation_edges e JOIN ancestors a ON e.id = a.parent_edge_id
       WHERE a.steps < 1024),
     top AS (SELECT max(steps) AS height FROM ancestors),
     descendants AS (
       SELECT id, 0 AS steps FROM delegation_edges WHERE id = $1
       UNION ALL
       SELECT e.id, d.steps + 1 FROM delegation_edges e JOIN descendants d ON e.parent_edge_id = d.id WHERE d.steps < 1024),
     chain AS (
       SELECT a.id, (SELECT height FROM top) - a.steps AS depth FROM ancestors a
       UNION
       SELECT d.id, (SELECT height FROM top) + d.steps FROM descendants d)
     SELECT chain.depth::int AS depth, e.id, e.source_session_id, e.target_session_id, e.status
     FROM chain JOIN delegation_edges e ON e.id = chain.id ORDER BY chain.depth, e.id`,
    [edgeId],
  );
  return result.rows;
}

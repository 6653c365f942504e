import type { DelegationChainLink, EdgeStatus } from '@caracal/protocol';
import type { Queryable } from '../../db/database.ts';
import type { PageRequest } from '../../http/pagination.ts';
import { findById, listPage, type TableShape } from '../shared/table-reads.ts';
import type { EdgeRow } from './edge-row.ts';

const EDGES: TableShape = {
  table: 'delegation_edges',
  columns: `id, zone_id, source_session_id, target_session_id, issuer_application_id, receiver_application_id,
  parent_edge_id, scopes, resource_id, constraints, max_hops, budget_remaining, status, expires_at, created_at, revoked_at,
  edge_version, origin`,
};

export function findEdge(database: Queryable, id: string): Promise<EdgeRow | undefined> {
  return findById(database, EDGES, id, { prepare: true });
}

export interface EdgeFilters {
  zoneId: string;
  sourceSessionId?: string;
  targetSessionId?: string;
  status?: EdgeStatus;
  /** Only edges issued to or by this application (non-admin callers). */
  applicationId?: string;
}

/** One page of a zone's edges in id order. */
export function listEdges(database: Queryable, filters: EdgeFilters, page: PageRequest): Promise<EdgeRow[]> {
  const equal = {
    zone_id: filters.zoneId,
    source_session_id: filters.sourceSessionId,
    target_session_id: filters.targetSessionId,
    status: filters.status,
  };
  const { applicationId } = filters;
  return listPage(database, EDGES, equal, page, (p) => {
    if (applicationId === undefined) return [];
    const application = p.add(applicationId, '::text');
    return [`(issuer_application_id = ${application} OR receiver_application_id = ${application})`];
  });
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

/**
 * The live inbound edges of a session (active, unexpired, ending at it), at most `limit` of them:
 * what an edge the session creates may derive from.
 */
export async function liveInboundEdges(database: Queryable, sessionId: string, now: number, limit: number): Promise<EdgeRow[]> {
  const result = await database.query<EdgeRow>(
    `SELECT ${EDGES.columns} FROM delegation_edges
     WHERE target_session_id = $1 AND status = 'active' AND expires_at > $2 ORDER BY id LIMIT $3`,
    [sessionId, new Date(now), limit],
    { prepare: true },
  );
  return result.rows;
}

import type { Queryable } from '../../db/database.ts';
import { impactIds } from '../sessions/impact-ids.ts';
import { terminationCtes } from '../sessions/termination-sql.ts';
import { SqlParameters } from '../shared/sql-parameters.ts';

/**
 * Every active edge derived from `edgeId` (itself included), through the recorded
 * `parent_edge_id` (docs/decisions/2026-12-04-edge-derivation.md), as a recursive CTE named
 * `downstream`. Session connectivity alone does not make an edge downstream: an edge its source
 * made from another inbound edge, or from its own ceiling, is not derived from this one.
 */
function downstreamCte(edge: string, zone: string, now: string): string {
  return `downstream (id, target_session_id) AS (
    SELECT id, target_session_id FROM delegation_edges WHERE id = ${edge} AND zone_id = ${zone} AND status = 'active'
    UNION
    SELECT e.id, e.target_session_id FROM delegation_edges e JOIN downstream d ON e.parent_edge_id = d.id
    WHERE e.zone_id = ${zone} AND e.status = 'active' AND e.expires_at > ${now})`;
}

/** What a revocation changed: counts, and the first ids of each set (see impactIds). */
export interface RevocationCounts {
  revokedEdges: number;
  affectedSessions: number;
  edgeIds: string[];
  sessionIds: string[];
}

/**
 * Edge revocation (docs/decisions/2026-12-04-revocation-model.md), in one statement: revokes the
 * edge and every active edge derived from it,
 * terminates the subtrees of their targets (which revokes the edges touching those sessions too),
 * bumps the epoch and enqueues a revocation per session. The zone must be locked
 * (lockDelegationGraph) first. May refuse with `concurrent_change` (see terminationCtes): retry.
 */
export async function revokeDownstream(
  transaction: Queryable,
  revocation: { edgeId: string; zoneId: string; now: number },
): Promise<RevocationCounts> {
  const p = new SqlParameters();
  const now = p.add(new Date(revocation.now).toISOString(), '::timestamptz');
  const downstream = downstreamCte(p.add(revocation.edgeId, '::text'), p.add(revocation.zoneId, '::text'), now);
  const ctes = terminationCtes({
    roots: 'SELECT target_session_id FROM downstream',
    now,
    reason: p.add('delegation_revoked', '::text'),
    alsoRevoke: 'SELECT id FROM downstream',
  });
  const result = await transaction.query<{ revoked_edges: number; affected_sessions: number; edge_ids: string[]; session_ids: string[] }>(
    `WITH RECURSIVE ${downstream}, ${ctes.join(',\n')}
     SELECT (SELECT count(*) FROM revoked)::int AS revoked_edges, (SELECT count(*) FROM terminated)::int AS affected_sessions,
       ${impactIds('revoked')} AS edge_ids, ${impactIds('terminated')} AS session_ids`,
    p.values,
  );
  const row = result.rows[0]!;
  return { revokedEdges: row.revoked_edges, affectedSessions: row.affected_sessions, edgeIds: row.edge_ids, sessionIds: row.session_ids };
}

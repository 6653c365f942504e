import type { Queryable } from '../../db/database.ts';
import { terminationCtes } from '../sessions/termination-sql.ts';
import { SqlParameters } from '../shared/sql-parameters.ts';

/** Every active edge downstream of `edgeId` (itself included), as a recursive CTE named `downstream`. */
function downstreamCte(edge: string, zone: string, now: string): string {
  return `downstream (id, target_session_id) AS (
    SELECT id, target_session_id FROM delegation_edges WHERE id = ${edge} AND zone_id = ${zone} AND status = 'active'
    UNION
    SELECT e.id, e.target_session_id FROM delegation_edges e JOIN downstream d ON e.source_session_id = d.target_session_id
    WHERE e.zone_id = ${zone} AND e.status = 'active' AND e.expires_at > ${now})`;
}

/**
 * Edge revocation (docs/decisions/2026-12-04-revocation-model.md), in one statement: revokes the
 * edge and every active edge downstream of it,
 * terminates the subtrees of their targets (which revokes the edges touching those sessions too),
 * bumps the epoch and enqueues a revocation per session. The zone must be locked
 * (lockDelegationGraph) first. May refuse with `concurrent_change` (see terminationCtes): retry.
 */
export async function revokeDownstream(
  transaction: Queryable,
  revocation: { edgeId: string; zoneId: string; now: number },
): Promise<{ revokedEdges: number; affectedSessions: number }> {
  const p = new SqlParameters();
  const now = p.add(new Date(revocation.now).toISOString(), '::timestamptz');
  const downstream = downstreamCte(p.add(revocation.edgeId, '::text'), p.add(revocation.zoneId, '::text'), now);
  const ctes = terminationCtes({
    roots: 'SELECT target_session_id FROM downstream',
    now,
    reason: p.add('delegation_revoked', '::text'),
    alsoRevoke: 'SELECT id FROM downstream',
  });
  const result = await transaction.query<{ revoked_edges: number; affected_sessions: number }>(
    `WITH RECURSIVE ${downstream}, ${ctes.join(',\n')}
     SELECT (SELECT count(*) FROM revoked)::int AS revoked_edges, (SELECT count(*) FROM terminated)::int AS affected_sessions`,
    p.values,
  );
  const row = result.rows[0]!;
  return { revokedEdges: row.revoked_edges, affectedSessions: row.affected_sessions };
}

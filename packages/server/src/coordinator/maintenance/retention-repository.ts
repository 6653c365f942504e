import type { Queryable } from '../../db/database.ts';

export interface DeletedHistory {
  sessions: number;
  edges: number;
  invocations: number;
  services: number;
  receipts: number;
}

/**
 * The retention cleaner's work: removes what finished before `olderThan` — terminated sessions
 * (with their seats long freed) whose timeline is gone (the timeline's own retention decides how
 * long a session's history stays readable), revoked or expired edges, finished invocations,
 * deregistered services and idempotency receipts. Live rows are never touched. One statement.
 */
export async function deleteFinishedHistory(database: Queryable, olderThan: Date): Promise<DeletedHistory> {
  const result = await database.query<DeletedHistory>(
    `WITH sessions AS (
       DELETE FROM agent_sessions s WHERE s.status = 'terminated' AND s.terminated_at < $1::timestamptz
         AND NOT EXISTS (SELECT 1 FROM session_events e WHERE e.session_id = s.id) RETURNING 1),
     edges AS (
       DELETE FROM delegation_edges
       WHERE (status = 'revoked' AND revoked_at < $1::timestamptz) OR (status = 'expired' AND expires_at < $1::timestamptz)
       RETURNING 1),
     invocations AS (
       DELETE FROM agent_invocations WHERE status NOT IN ('pending', 'running') AND finished_at < $1::timestamptz RETURNING 1),
     services AS (
       DELETE FROM agent_services WHERE status = 'deregistered' AND deregistered_at < $1::timestamptz RETURNING 1),
     receipts AS (
       DELETE FROM coordinator_idempotency_receipts WHERE created_at < $1::timestamptz RETURNING 1)
     SELECT (SELECT count(*) FROM sessions)::int AS sessions, (SELECT count(*) FROM edges)::int AS edges,
       (SELECT count(*) FROM invocations)::int AS invocations, (SELECT count(*) FROM services)::int AS services,
       (SELECT count(*) FROM receipts)::int AS receipts`,
    [olderThan.toISOString()],
  );
  return result.rows[0]!;
}

import type { Queryable } from '../../db/database.ts';
import { OUTBOX_CHANNEL, Topics } from '../../events/topics.ts';
import { refusing } from '../shared/database-errors.ts';
import { SqlParameters } from '../shared/sql-parameters.ts';
import type { SessionRow } from './session-row.ts';
import { SESSION_COLUMNS } from './session-repository.ts';
import { terminationCtes } from './termination-sql.ts';

/**
 * Locks the tree of `sessionId` (its root row, FOR UPDATE) and returns the session. Subtree
 * changes run after this in the same transaction, so their next statement sees every child and
 * edge that writers holding the root (spawns, edge creations) committed before.
 */
export async function lockSessionTree(transaction: Queryable, sessionId: string): Promise<SessionRow | undefined> {
  const columns = SESSION_COLUMNS.split(',').map((column) => `s.${column.trim()}`).join(', ');
  const result = await transaction.query<SessionRow>(
    `SELECT ${columns} FROM agent_sessions s JOIN agent_sessions root ON root.id = s.root_id
     WHERE s.id = $1 FOR UPDATE OF root`,
    [sessionId],
  );
  return result.rows[0];
}

/** Locks the trees of several sessions, in id order so concurrent lockers never deadlock. */
export async function lockSessionTrees(transaction: Queryable, sessionIds: readonly string[]): Promise<void> {
  if (sessionIds.length === 0) return;
  await transaction.query(
    `SELECT root.id FROM agent_sessions root
     WHERE root.id IN (SELECT root_id FROM agent_sessions WHERE id = ANY($1::text[]))
     ORDER BY root.id FOR UPDATE`,
    [sessionIds],
  );
}

export interface TerminationCounts {
  terminatedSessions: number;
  revokedEdges: number;
}

/** Ends the subtrees of `roots` (see terminationCtes); the trees must be locked. */
export async function terminateSubtrees(
  transaction: Queryable,
  termination: { roots: readonly string[]; now: number; reason: string },
): Promise<TerminationCounts> {
  const p = new SqlParameters();
  const ctes = terminationCtes({
    roots: `SELECT unnest(${p.add(termination.roots, '::text[]')})`,
    now: p.add(new Date(termination.now).toISOString(), '::timestamptz'),
    reason: p.add(termination.reason, '::text'),
  });
  const result = await transaction.query<{ terminated_sessions: number; revoked_edges: number }>(
    `WITH RECURSIVE ${ctes.join(',\n')},
     notified AS (SELECT pg_notify('${OUTBOX_CHANNEL}', '') FROM (SELECT 1 FROM termination_events LIMIT 1) AS any_event)
     SELECT (SELECT count(*) FROM terminated)::int AS terminated_sessions, (SELECT count(*) FROM revoked)::int AS revoked_edges,
       (SELECT count(*) FROM notified)::int AS notified`,
    p.values,
  );
  const row = result.rows[0]!;
  return { terminatedSessions: row.terminated_sessions, revokedEdges: row.revoked_edges };
}

/** Suspends every active session of the subtree under `sessionId` (its tree must be locked). */
export async function suspendSubtree(transaction: Queryable, change: { sessionId: string; now: number }): Promise<number> {
  return changeSubtreeStatus(transaction, { ...change, from: 'active', to: 'suspended', event: 'session_suspended' });
}

/**
 * Resumes every suspended session of the subtree under `sessionId`. A session under a suspended
 * parent stays suspended: suspension holds for whole subtrees.
 */
export async function resumeSubtree(transaction: Queryable, change: { sessionId: string; now: number }): Promise<number> {
  return changeSubtreeStatus(transaction, { ...change, from: 'suspended', to: 'active', event: 'session_resumed' });
}

async function changeSubtreeStatus(
  transaction: Queryable,
  change: { sessionId: string; now: number; from: string; to: string; event: string },
): Promise<number> {
  const result = await refusing(
    transaction.query<{ changed: number }>(
      `WITH RECURSIVE subtree AS (
         SELECT id FROM agent_sessions WHERE id = $1
         UNION
         SELECT child.id FROM agent_sessions child JOIN subtree ON child.parent_id = subtree.id WHERE child.status <> 'terminated'),
       parent_check AS (
         SELECT CASE WHEN $3::text = 'active' AND parent.status <> 'active'
           THEN coordinator_refuse(409, 'session_not_active', 'parent session ' || parent.id || ' is ' || parent.status)
           ELSE true END AS ok
         FROM agent_sessions s JOIN agent_sessions parent ON parent.id = s.parent_id WHERE s.id = $1),
       changed AS (
         UPDATE agent_sessions s SET status = $3::text,
           suspended_at = CASE WHEN $3::text = 'suspended' THEN $4::timestamptz ELSE NULL END
         FROM subtree WHERE s.id = subtree.id AND s.status = $2::text AND (SELECT count(*) FROM parent_check) >= 0
         RETURNING s.id, s.zone_id, s.application_id),
       events AS (
         INSERT INTO caracal_outbox (topic, event_type, zone_id, payload)
         SELECT '${Topics.agentsLifecycle}', $5::text, zone_id,
           jsonb_build_object('agent_session_id', id, 'application_id', application_id, 'at', $4::timestamptz)
         FROM changed RETURNING id),
       notified AS (SELECT pg_notify('${OUTBOX_CHANNEL}', '') FROM (SELECT 1 FROM events LIMIT 1) AS any_event)
       SELECT (SELECT count(*) FROM changed)::int AS changed, (SELECT count(*) FROM notified)::int AS notified`,
      [change.sessionId, change.from, change.to, new Date(change.now).toISOString(), change.event],
    ),
  );
  return result.rows[0]!.changed;
}

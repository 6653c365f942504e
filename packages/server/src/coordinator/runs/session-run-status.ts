import { TERMINAL_RUN_STATUSES, type RunStatus } from '@caracal/protocol';
import type { Transaction } from '../../db/database.ts';
import { terminateSubtrees } from '../sessions/lifecycle-repository.ts';
import { sessionChangeCte, withSeedSessionColumns } from '../timeline/seed-session-sql.ts';
import { enqueueSessionChanges } from '../timeline/session-changes.ts';

export interface SessionRunStatusChange {
  sessionId: string;
  runStatus: RunStatus;
  now: number;
  /** Why the session ends, when the new status ends it (recorded with the termination). */
  reason: string;
  /** Who caused it, recorded with a termination (an agent's own `run_completed` event); absent: the server. */
  requestedBy?: { applicationId: string; admin: boolean };
  /** A resume run was created: also set `last_resumed_at`. */
  resumed?: boolean;
  /** Seed fields the run names (`agent_name`, `project_dir`); null leaves a field as it is. */
  fields?: { agentName: string | null; projectDir: string | null };
}

/**
 * Sets a seed session's run status inside the caller's transaction — the one place a run status
 * moves, whether a run moved (run-moves.ts) or an agent posted `run_start` / `run_completed` /
 * `run_failed` on its timeline (post-events-service.ts). A terminal status (stopped,
 * finished, failed) also terminates the Caracal session and its subtree, so its authority ends with
 * its run. The seed feeds get `session_updated` with the session as it is left (for a terminal
 * status, the termination writes it). May throw `concurrent_change` (from the termination): the
 * caller retries its whole transaction. No NOTIFY here: the caller wakes the publishers after
 * its commit (wakeOutboxPublishers).
 */
export async function setSessionRunStatus(transaction: Transaction, change: SessionRunStatusChange): Promise<void> {
  const terminal = TERMINAL_RUN_STATUSES.includes(change.runStatus);
  const updated = sessionRunStatusUpdate({ session: '$1', runStatus: '$2', resumed: '$3', now: '$4', agentName: '$5', projectDir: '$6' });
  const params = [
    change.sessionId,
    change.runStatus,
    change.resumed === true,
    new Date(change.now).toISOString(),
    change.fields?.agentName ?? null,
    change.fields?.projectDir ?? null,
  ];
  if (terminal) {
    await transaction.query(updated, params, { prepare: true });
    const termination = { roots: [change.sessionId], now: change.now, reason: change.reason };
    const ended = await terminateSubtrees(transaction, change.requestedBy === undefined ? termination : { ...termination, requestedBy: change.requestedBy });
    // A session whose authority had already ended: its run status changed all the same.
    if (ended.terminatedSessions === 0) await enqueueSessionChanges(transaction, 'session_updated', [change.sessionId], { notify: false });
    return;
  }
  await transaction.query(
    `WITH updated AS (${updated}),
     ${sessionChangeCte('changes', 'session_updated', 'SELECT * FROM updated')}
     SELECT count(*) FROM changes`,
    params,
    { prepare: true },
  );
}

/**
 * The UPDATE that sets a session's run status (returning the seed session's columns), its slots
 * given as SQL so a larger statement can embed it: a run's move sets its session's in the same
 * statement (run-moves.ts).
 */
export function sessionRunStatusUpdate(slots: { session: string; runStatus: string; resumed: string; now: string; agentName: string; projectDir: string }): string {
  return `UPDATE agent_sessions SET run_status = ${slots.runStatus},
       last_resumed_at = CASE WHEN ${slots.resumed}::boolean THEN ${slots.now}::timestamptz ELSE last_resumed_at END,
       agent_name = coalesce(${slots.agentName}::text, agent_name), project_dir = coalesce(${slots.projectDir}::text, project_dir)
     WHERE id = ${slots.session} RETURNING ${withSeedSessionColumns(['id'])}`;
}

import { TERMINAL_RUN_STATUSES, type RunStatus } from '@caracal/protocol';
import type { Transaction } from '../../db/database.ts';
import { terminateSubtrees } from '../sessions/lifecycle-repository.ts';
import { enqueueSessionChanges } from '../timeline/session-changes.ts';

export interface SessionRunStatusChange {
  sessionId: string;
  runStatus: RunStatus;
  now: number;
  /** Why the session ends, when the new status ends it (recorded with the termination). */
  reason: string;
  /** Also set `last_resumed_at` (a resume run was created). */
  resumed?: boolean;
}

/**
 * Sets a seed session's run status inside the caller's transaction. A terminal status (stopped,
 * finished, failed) also terminates the Caracal session and its subtree, so its authority ends with
 * its run; the feeds get `session_updated`. May throw `concurrent_change` (from the termination):
 * the caller retries its whole transaction.
 */
export async function setSessionRunStatus(transaction: Transaction, change: SessionRunStatusChange): Promise<void> {
  await transaction.query(
    `UPDATE agent_sessions SET run_status = $2, last_resumed_at = CASE WHEN $3::boolean THEN $4::timestamptz ELSE last_resumed_at END
     WHERE id = $1`,
    [change.sessionId, change.runStatus, change.resumed === true, new Date(change.now).toISOString()],
    { prepare: true },
  );
  if (TERMINAL_RUN_STATUSES.includes(change.runStatus)) {
    await terminateSubtrees(transaction, { roots: [change.sessionId], now: change.now, reason: change.reason });
  }
  await enqueueSessionChanges(transaction, 'session_updated', [change.sessionId]);
}

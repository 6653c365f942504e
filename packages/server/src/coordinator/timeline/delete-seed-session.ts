import type { DeletedSeedSession } from '@caracal/protocol';
import type { Principal } from '../../auth/principal.ts';
import type { Transaction } from '../../db/database.ts';
import { conflict, forbidden } from '../../http/server-error.ts';
import type { ServerContext } from '../../server-context.ts';
import { terminateSession } from '../sessions/lifecycle-repository.ts';
import { deleteSessionRuns } from '../runs/run-repository.ts';
import { retryingConcurrentChanges } from '../shared/concurrent-change.ts';
import { wakeOutboxPublishers } from '../shared/outbox-wakeup-repository.ts';
import { requireSeedSession } from './seed-visibility.ts';
import { enqueueSessionDeleted } from './session-changes.ts';
import { deleteSessionEvents } from './session-event-repository.ts';

interface SubtreeRow {
  id: string;
  zone_id: string;
  application_id: string;
  status: string;
  run_status: string;
}

/**
 * `DELETE /sessions/{id}` (docs/decisions/2026-12-04-seed-session-delete.md): the session and its
 * whole subtree leave the seed views together, so no child is left pointing at a deleted parent.
 * Refused with 409 `session_active` while any of them is running or idle, and with 403 when a
 * descendant belongs to another application (unless an operator asks), and while a runner holds
 * one of their runs; their runs are removed with them. Sessions whose authority
 * has not ended are terminated first (revocations pushed); then their events are removed. One
 * transaction; the Caracal records stay for the Coordinator's history.
 */
export async function deleteSeedSession(context: ServerContext, principal: Principal, sessionId: string): Promise<DeletedSeedSession> {
  const answer = await retryingConcurrentChanges(() =>
    context.database.transaction(async (transaction) => {
      await requireSeedSession(transaction, principal, sessionId);
      const subtree = await lockedSeedSubtree(transaction, sessionId);
      assertDeletable(subtree, principal);
      // Its runs go with it (refused while a runner holds one), before the termination would cut them.
      await deleteSessionRuns(transaction, subtree.map((row) => row.id));
      const now = context.now();
      if (subtree.some((row) => row.status !== 'terminated')) {
        await terminateSession(transaction, {
          sessionId,
          zoneId: principal.zoneId,
          callerApplicationId: principal.clientId,
          admin: principal.admin,
          now,
          reason: 'deleted',
        });
      }
      const ids = subtree.map((row) => row.id);
      const deletedEvents = await deleteSessionEvents(transaction, ids);
      await transaction.query('UPDATE agent_sessions SET seed_deleted_at = $2::timestamptz WHERE id = ANY ($1::text[])', [ids, new Date(now).toISOString()]);
      for (const row of subtree) {
        await enqueueSessionDeleted(transaction, { zoneId: row.zone_id, applicationId: row.application_id, sessionId: row.id });
      }
      return { ok: true as const, session_id: sessionId, deleted_sessions: ids, deleted_events: deletedEvents };
    }),
  );
  wakeOutboxPublishers(context.database);
  return answer;
}

/** The session and its descendants still in the seed views, locked in id order (as terminations lock them). */
async function lockedSeedSubtree(transaction: Transaction, sessionId: string): Promise<SubtreeRow[]> {
  const { rows } = await transaction.query<SubtreeRow>(
    `WITH RECURSIVE subtree (id) AS (
       SELECT id FROM agent_sessions WHERE id = $1
       UNION
       SELECT child.id FROM agent_sessions child JOIN subtree ON child.parent_id = subtree.id WHERE child.seed_deleted_at IS NULL)
     SELECT s.id, s.zone_id, s.application_id, s.status, s.run_status FROM agent_sessions s
     WHERE s.id IN (SELECT id FROM subtree) ORDER BY s.id FOR UPDATE`,
    [sessionId],
  );
  // The requested session first: it is what the answer names.
  return [...rows.filter((row) => row.id === sessionId), ...rows.filter((row) => row.id !== sessionId)];
}

function assertDeletable(subtree: readonly SubtreeRow[], principal: Principal): void {
  const busy = subtree.find((row) => row.run_status === 'running' || row.run_status === 'idle');
  if (busy !== undefined) {
    const which = busy.id === subtree[0]!.id ? `session ${busy.id}` : `session ${busy.id} (a descendant)`;
    throw conflict(`${which} is ${busy.run_status}; stop it first`, 'session_active');
  }
  const foreign = subtree.find((row) => !principal.admin && row.application_id !== principal.clientId);
  if (foreign !== undefined) {
    throw forbidden(`session ${foreign.id} (a descendant) belongs to another application; only an operator can delete this subtree`);
  }
}

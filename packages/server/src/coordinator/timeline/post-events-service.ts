import type { PostEventBody, RunStatus, SessionEvent } from '@caracal/protocol';
import type { Principal } from '../../auth/principal.ts';
import type { Transaction } from '../../db/database.ts';
import type { ServerContext } from '../../server-context.ts';
import { terminateSession } from '../sessions/lifecycle-repository.ts';
import { retryingConcurrentChanges } from '../shared/concurrent-change.ts';
import { wakeOutboxPublishers } from '../shared/outbox-wakeup-repository.ts';
import { agentEventLogOf } from './agent-event-log.ts';
import { agentEntry, agentEventFields, assertPostableEvents } from './event-entries.ts';
import { isTerminalRunStatus, movesRunStatus, runStatusAfter } from './run-status.ts';
import { setRunStatus, type SeedSessionRecord } from './seed-session-repository.ts';
import { requireSeedSession } from './seed-visibility.ts';
import { enqueueSessionChanges } from './session-changes.ts';
import { appendTimelineEvents } from './timeline-repository.ts';

/**
 * Appends an agent's events to a session's timeline (`POST /sessions/{id}/events`), in one
 * transaction with what they cause: a moved run status, and when it became terminal, the
 * termination of the Caracal session and its subtree (revocations pushed). Returns the events in
 * server order. A post that moves the run status locks the session row, so concurrent posts apply
 * their moves one after another; any other post holds it against a concurrent delete only, and
 * goes through the group commit of AgentEventLog (one statement shared with concurrent posts).
 */
export async function postSessionEvents(
  context: ServerContext,
  principal: Principal,
  sessionId: string,
  events: readonly PostEventBody[],
): Promise<SessionEvent[]> {
  assertPostableEvents(events);
  const moves = movesRunStatus(events);
  if (!moves && events.length > 0) {
    return agentEventLogOf(context.database).append({
      sessionId,
      zoneId: principal.zoneId,
      applicationId: principal.admin ? undefined : principal.clientId,
      events: events.map(agentEventFields),
      at: context.now(),
    });
  }
  const posted = await retryingConcurrentChanges(() =>
    context.database.transaction(async (transaction) => {
      const session = await requireSeedSession(transaction, principal, sessionId, { lock: moves ? 'update' : 'key share' });
      const next = moves ? runStatusAfter(session.run_status, events, sessionId) : session.run_status;
      const now = context.now();
      const appended = await appendTimelineEvents(
        transaction,
        events.map((event) => agentEntry(session, event)),
        now,
        { notify: false },
      );
      if (next !== session.run_status) await moveRunStatus(transaction, principal, session, next, now);
      return appended;
    }),
  );
  wakeOutboxPublishers(context.database);
  return posted;
}

/**
 * Sets the run status and tells the seed feeds; a terminal status ends the session's authority
 * (its subtree's too: the Coordinator's termination, which tells the feeds about every session it
 * ends, this one with its new run status).
 */
async function moveRunStatus(transaction: Transaction, principal: Principal, session: SeedSessionRecord, next: RunStatus, now: number): Promise<void> {
  await setRunStatus(transaction, session.id, next);
  if (isTerminalRunStatus(next) && session.status !== 'terminated') {
    await terminateSession(transaction, {
      sessionId: session.id,
      zoneId: session.zone_id,
      callerApplicationId: principal.clientId,
      admin: principal.admin,
      now,
      reason: `run_${next}`,
    });
    return;
  }
  await enqueueSessionChanges(transaction, 'session_updated', [session.id]);
}

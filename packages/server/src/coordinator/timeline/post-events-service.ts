import type { PostEventBody, SessionEvent } from '@caracal/protocol';
import type { Principal } from '../../auth/principal.ts';
import type { ServerContext } from '../../server-context.ts';
import { setSessionRunStatus } from '../runs/session-run-status.ts';
import { retryingConcurrentChanges } from '../shared/concurrent-change.ts';
import { wakeOutboxPublishers } from '../shared/outbox-wakeup-repository.ts';
import { agentEntry, assertPostableEvents } from './event-entries.ts';
import { movesRunStatus, runStatusAfter } from './run-status.ts';
import { requireSeedSession } from './seed-visibility.ts';
import { appendTimelineEvents } from './timeline-repository.ts';

/**
 * Appends an agent's events to a session's timeline (`POST /sessions/{id}/events`), in one
 * transaction with what they cause: a moved run status, and when it became terminal, the
 * termination of the Caracal session and its subtree (revocations pushed). Returns the events in
 * server order. A post that moves the run status locks the session row, so concurrent posts apply
 * their moves one after another; any other post holds it against a concurrent delete only.
 */
export async function postSessionEvents(
  context: ServerContext,
  principal: Principal,
  sessionId: string,
  events: readonly PostEventBody[],
): Promise<SessionEvent[]> {
  assertPostableEvents(events);
  const moves = movesRunStatus(events);
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
      if (next !== session.run_status) {
        const requestedBy = { applicationId: principal.clientId, admin: principal.admin };
        await setSessionRunStatus(transaction, { sessionId: session.id, runStatus: next, now, reason: `run_${next}`, requestedBy });
      }
      return appended;
    }),
  );
  wakeOutboxPublishers(context.database);
  return posted;
}

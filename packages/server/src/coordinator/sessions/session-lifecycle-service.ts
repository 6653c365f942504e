import type { ServerContext } from '../../server-context.ts';
import type { ActionTarget } from '../shared/access.ts';
import { retryingConcurrentChanges } from '../shared/concurrent-change.ts';
import { wakeOutboxPublishers } from '../shared/outbox-wakeup-repository.ts';
import { resumeSubtree, suspendSubtree, terminateSession as terminateStatement, type SubtreeChange, type TerminationCounts } from './lifecycle-repository.ts';

/** The session an action acts on (its `id`), and who asks. */
type SessionTarget = ActionTarget;

function subtreeChange(context: ServerContext, target: SessionTarget): SubtreeChange {
  return {
    sessionId: target.id,
    zoneId: target.zoneId,
    callerApplicationId: target.principal.clientId,
    admin: target.principal.admin,
    now: context.now(),
  };
}

/**
 * Terminates a session and its whole subtree (irreversible): revokes every edge touching them and
 * publishes a revocation per session, in one statement. Terminating an already terminated session
 * changes nothing. The ownership and zone checks run inside that statement.
 */
export async function terminateSession(context: ServerContext, target: SessionTarget & { reason?: string }): Promise<TerminationCounts> {
  const counts = await retryingConcurrentChanges(() =>
    terminateStatement(context.database, { ...subtreeChange(context, target), reason: target.reason ?? 'terminated' }),
  );
  if (counts.terminatedSessions > 0) wakeOutboxPublishers(context.database);
  return counts;
}

/** Suspends a session and its subtree; new exchanges are refused until it is resumed. */
export async function suspendSession(context: ServerContext, target: SessionTarget): Promise<number> {
  const suspended = await retryingConcurrentChanges(() => suspendSubtree(context.database, subtreeChange(context, target)));
  if (suspended > 0) wakeOutboxPublishers(context.database);
  return suspended;
}

/** Resumes a suspended session and its subtree; refused while its parent is not active. */
export async function resumeSession(context: ServerContext, target: SessionTarget): Promise<number> {
  const resumed = await retryingConcurrentChanges(() => resumeSubtree(context.database, subtreeChange(context, target)));
  if (resumed > 0) wakeOutboxPublishers(context.database);
  return resumed;
}

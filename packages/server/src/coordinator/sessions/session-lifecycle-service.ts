import type { Queryable } from '../../db/database.ts';
import type { ServerContext } from '../../server-context.ts';
import type { ActionTarget } from '../shared/access.ts';
import { retryingConcurrentChanges } from '../shared/concurrent-change.ts';
import { wakeOutboxPublishers } from '../shared/outbox-wakeup-repository.ts';
import { rolledBack } from './dry-run.ts';
import {
  resumeSubtree,
  suspendSubtree,
  terminateSession as terminateStatement,
  type StatusChangeCounts,
  type SubtreeChange,
  type TerminationCounts,
} from './lifecycle-repository.ts';

/** The session an action acts on (its `id`), and who asks; `dryRun`: answer the impact, change nothing. */
type SessionTarget = ActionTarget & { dryRun?: boolean };

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
 * Runs one subtree statement for real, or (dry run) in a transaction rolled back, so both compute
 * their sets with the same code; wakes the outbox publishers when a real change published.
 */
async function applying<T>(
  context: ServerContext,
  target: SessionTarget,
  statement: (database: Queryable) => Promise<T>,
  published: (answer: T) => boolean,
): Promise<T> {
  if (target.dryRun === true) return retryingConcurrentChanges(() => rolledBack(context.database, statement));
  const answer = await retryingConcurrentChanges(() => statement(context.database));
  if (published(answer)) wakeOutboxPublishers(context.database);
  return answer;
}

/**
 * Terminates a session and its whole subtree (irreversible): revokes every edge touching them and
 * publishes a revocation per session, in one statement. Terminating an already terminated session
 * changes nothing. The ownership and zone checks run inside that statement.
 */
export async function terminateSession(context: ServerContext, target: SessionTarget & { reason?: string }): Promise<TerminationCounts> {
  const change = { ...subtreeChange(context, target), reason: target.reason ?? 'terminated' };
  return applying(context, target, (database) => terminateStatement(database, change), (counts) => counts.terminatedSessions > 0);
}

/** Suspends a session and its subtree; new exchanges are refused until it is resumed. */
export async function suspendSession(context: ServerContext, target: SessionTarget): Promise<StatusChangeCounts> {
  const change = subtreeChange(context, target);
  return applying(context, target, (database) => suspendSubtree(database, change), (counts) => counts.changed > 0);
}

/** Resumes a suspended session and its subtree; refused while its parent is not active. */
export async function resumeSession(context: ServerContext, target: SessionTarget): Promise<StatusChangeCounts> {
  const change = subtreeChange(context, target);
  return applying(context, target, (database) => resumeSubtree(database, change), (counts) => counts.changed > 0);
}

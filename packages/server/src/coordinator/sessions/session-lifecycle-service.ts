import type { Principal } from '../../auth/principal.ts';
import { conflict, notFound } from '../../http/server-error.ts';
import type { ServerContext } from '../../server-context.ts';
import { assertOwner } from '../shared/access.ts';
import { lockSessionTree, resumeSubtree, suspendSubtree, terminateSubtrees, type TerminationCounts } from './lifecycle-repository.ts';
import type { SessionRow } from './session-row.ts';

interface SessionTarget {
  principal: Principal;
  zoneId: string;
  sessionId: string;
}

/**
 * Locks the session's tree and checks it may be changed by the caller. Runs inside the change's
 * transaction, so the check and the change see the same state.
 */
async function lockOwned(transaction: Parameters<typeof lockSessionTree>[0], target: SessionTarget): Promise<SessionRow> {
  const session = await lockSessionTree(transaction, target.sessionId);
  if (session === undefined || session.zone_id !== target.zoneId) {
    throw notFound(`agent session ${target.sessionId} not found in zone ${target.zoneId}`);
  }
  assertOwner(target.principal, session.application_id, `agent session ${session.id}`);
  return session;
}

/**
 * Terminates a session and its whole subtree (irreversible): revokes every edge touching them and
 * publishes a revocation per session. Terminating an already terminated session changes nothing.
 */
export async function terminateSession(context: ServerContext, target: SessionTarget & { reason?: string }): Promise<TerminationCounts> {
  return context.database.transaction(async (transaction) => {
    const session = await lockOwned(transaction, target);
    if (session.status === 'terminated') return { terminatedSessions: 0, revokedEdges: 0 };
    return terminateSubtrees(transaction, { roots: [session.id], now: context.now(), reason: target.reason ?? 'terminated' });
  });
}

/** Suspends a session and its subtree; new exchanges are refused until it is resumed. */
export async function suspendSession(context: ServerContext, target: SessionTarget): Promise<number> {
  return context.database.transaction(async (transaction) => {
    const session = await lockOwned(transaction, target);
    if (session.status === 'terminated') throw conflict(`agent session ${session.id} is terminated`, 'session_not_active');
    return suspendSubtree(transaction, { sessionId: session.id, now: context.now() });
  });
}

/** Resumes a suspended session and its subtree; refused while its parent is suspended. */
export async function resumeSession(context: ServerContext, target: SessionTarget): Promise<number> {
  return context.database.transaction(async (transaction) => {
    const session = await lockOwned(transaction, target);
    if (session.status === 'terminated') throw conflict(`agent session ${session.id} is terminated`, 'session_not_active');
    return resumeSubtree(transaction, { sessionId: session.id, now: context.now() });
  });
}

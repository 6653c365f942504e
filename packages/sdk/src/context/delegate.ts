import { CaracalError } from '../errors.ts';
import type { CaracalContext } from './caracal-context.ts';
import { requireContext } from './current.ts';
import { delegationRequestBody } from './delegation-request.ts';
import type { SessionDependencies } from './session-dependencies.ts';
import type { DelegateOptions } from './spawn-options.ts';
import { contextStorage } from './storage.ts';
import { assertHop, freezeContext } from './validate-context.ts';

/**
 * Seed 003's delegate sequence: from the live context's session, record an edge to
 * `options.to`, then run `fn` as the target under that edge (`parentEdgeId` = the previous edge,
 * `hop` + 1). Fails closed before any request outside a context, without a session, or past
 * hop 32. The edge stays active after `fn` returns.
 * @internal
 */
export async function delegateSession<R>(
  dependencies: Pick<SessionDependencies, 'coordinator'>,
  options: DelegateOptions,
  fn: (context: CaracalContext) => R | PromiseLike<R>,
): Promise<R> {
  const context = requireContext();
  const agentSessionId = context.agentSessionId;
  if (agentSessionId === undefined) {
    throw new CaracalError('NO_AGENT_SESSION', 'delegate() needs a context with an agent session; call it inside spawn().');
  }
  if (typeof fn !== 'function') throw new CaracalError('INVALID_ARGUMENT', 'delegate(options, fn) needs a callback function.');
  const hop = context.hop + 1;
  assertHop(hop);
  const body = delegationRequestBody(options, { ...context, agentSessionId });
  const created = await dependencies.coordinator.createDelegation(context.zoneId, body, { idempotencyKey: options.idempotencyKey, signal: options.signal });
  const child = freezeContext({
    ...context,
    agentSessionId: body.target_session_id,
    delegationEdgeId: created.delegationEdgeId,
    parentEdgeId: context.delegationEdgeId,
    hop,
  });
  return await contextStorage().run(child, fn, child);
}

import { SpanKind } from '@opentelemetry/api';
import { CaracalError } from '../errors.ts';
import type { CaracalContext } from '../model/caracal-context.ts';
import { requireContext } from './current.ts';
import { delegationRequestBody } from './delegation-request.ts';
import type { SessionDependencies } from './session-dependencies.ts';
import type { DelegateOptions } from './spawn-options.ts';
import { inSpan, setActiveSpanAttribute } from '../telemetry/in-span.ts';
import { contextStorage } from './storage.ts';
import { assertHop, freezeContext } from './validate-context.ts';

/**
 * Who presents what to the STS inside the child. Same application: the target session and the
 * new edge (no acting fields). Another application: the STS requires the presented session to be
 * the caller's own, so this process keeps presenting the authority it already acts under (its
 * own source session and edge), while the new edge travels in baggage to the target application.
 */
function actingAuthority(context: CaracalContext, options: DelegateOptions): Pick<CaracalContext, 'actingSessionId' | 'actingEdgeId'> {
  const crossApplication = options.toClientId !== undefined && options.toClientId !== context.clientId;
  if (!crossApplication) return { actingSessionId: undefined, actingEdgeId: undefined };
  if (context.actingSessionId !== undefined) return { actingSessionId: context.actingSessionId, actingEdgeId: context.actingEdgeId };
  return { actingSessionId: context.agentSessionId, actingEdgeId: context.delegationEdgeId };
}

/**
 * The delegate sequence (docs/decisions/2026-12-04-sdk-context-contract.md): from the live
 * context's session, record an edge to
 * `options.to`, then run `fn` as the target under that edge (`parentEdgeId` = the previous edge,
 * `hop` + 1). Fails closed before any request outside a context, without a session, or past
 * hop 32. The edge stays active after `fn` returns.
 * @internal
 */
async function runDelegate<R>(
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
  setActiveSpanAttribute('caracal.delegation_edge_id', created.delegationEdgeId);
  setActiveSpanAttribute('caracal.hop', hop);
  const child = freezeContext({
    ...context,
    ...actingAuthority(context, options),
    agentSessionId: body.target_session_id,
    delegationEdgeId: created.delegationEdgeId,
    parentEdgeId: context.delegationEdgeId,
    hop,
  });
  return await contextStorage().run(child, fn, child);
}

/**
 * `delegate` inside one `caracal.delegate` span (a no-op without an OpenTelemetry SDK), active
 * while `fn` runs as the target.
 * @internal
 */
export function delegateSession<R>(
  dependencies: Pick<SessionDependencies, 'coordinator'>,
  options: DelegateOptions,
  fn: (context: CaracalContext) => R | PromiseLike<R>,
): Promise<R> {
  return inSpan('caracal.delegate', { kind: SpanKind.INTERNAL }, () => runDelegate(dependencies, options, fn));
}

import { SpanKind } from '@opentelemetry/api';
import { CaracalError } from '../errors.ts';
import { activeOtelTraceId, newTraceId } from '../propagation/index.ts';
import { inSpan, setActiveSpanAttribute } from '../telemetry/in-span.ts';
import type { CaracalContext } from '../model/caracal-context.ts';
import { reportCleanupError } from './cleanup-error.ts';
import { current } from './current.ts';
import type { SessionDependencies } from './session-dependencies.ts';
import type { SpawnOptions } from './spawn-options.ts';
import { spawnRequestBody } from './spawn-request.ts';
import { contextStorage } from './storage.ts';
import { assertHop, freezeContext } from './validate-context.ts';
import { resultEvent, runCompletedEvent, runFailedEvent, runStartEvent } from '../timeline/run-events.ts';
import { prepareEvent } from '../timeline/prepare-event.ts';
import type { PostEventBody } from '@caracal/protocol';

async function terminate(dependencies: SessionDependencies, agentSessionId: string, fnFailed: boolean): Promise<void> {
  try {
    // Sent even after the run's terminal event (which ends the session at the server too): the
    // event may not have got through, and terminating an ended session changes nothing.
    await dependencies.coordinator.terminateAgentSession(dependencies.zoneId, agentSessionId);
  } catch (error) {
    reportCleanupError({ error, zoneId: dependencies.zoneId, agentSessionId, fnFailed }, dependencies.onCleanupError);
  }
}

/** Records the run of one spawned session, when its client reports a timeline and the spawn asks for it. */
class RunRecorder {
  readonly #dependencies: SessionDependencies;
  readonly #sessionId: string;
  readonly #enabled: boolean;

  constructor(dependencies: SessionDependencies, sessionId: string, enabled: boolean) {
    this.#dependencies = dependencies;
    this.#sessionId = sessionId;
    this.#enabled = enabled && dependencies.timeline !== undefined;
  }

  record(event: PostEventBody | undefined): void {
    const timeline = this.#dependencies.timeline;
    if (!this.#enabled || timeline === undefined || event === undefined) return;
    try {
      timeline.reporter.enqueue(this.#sessionId, prepareEvent(event, timeline.clock.now()));
    } catch {
      // Reporting never breaks the run it reports on.
    }
  }

  /** Records the run's last event and waits (bounded) until this session's events are on the server. */
  async end(event: PostEventBody): Promise<void> {
    this.record(event);
    if (this.#enabled) await this.#dependencies.timeline?.reporter.flush(this.#sessionId);
  }
}

function childContext(parent: CaracalContext | undefined, fields: { subjectToken: string; zoneId: string; clientId: string; agentSessionId: string; delegationEdgeId: string | undefined }): CaracalContext {
  return freezeContext({
    ...fields,
    // The inherited edge was derived from the parent's edge; record that link for the chain.
    parentEdgeId: fields.delegationEdgeId === undefined ? undefined : parent?.delegationEdgeId,
    // One trace per top-level story. The active OpenTelemetry span's (this spawn's own span when
    // an SDK is registered) comes first: it is the trace the ids on the wire belong to.
    traceId: activeOtelTraceId() ?? parent?.traceId ?? newTraceId(),
    traceFlags: parent?.traceFlags,
    traceState: parent?.traceState,
    baggage: parent?.baggage,
    hop: spawnHop(parent, fields.delegationEdgeId),
  });
}

/**
 * A context's hop counts the edges from the root to its edge, as the mandate's `hop_count` counts
 * its `delegation_path` (docs/decisions/2026-12-04-spawn-hop.md): an inherited edge adds one to the
 * chain the parent acts under (the SDK names the parent's edge, so the Coordinator derives from
 * it); a session spawned without an edge (a root, or `grant: 'none'`) stands at hop 0.
 */
function spawnHop(parent: CaracalContext | undefined, inheritedEdgeId: string | undefined): number {
  if (inheritedEdgeId === undefined) return 0;
  const chainAbove = parent?.delegationEdgeId === undefined ? 0 : parent.hop;
  const hop = chainAbove + 1;
  assertHop(hop);
  return hop;
}

/**
 * The spawn sequence (docs/decisions/2026-12-04-sdk-context-contract.md): open a session at the
 * Coordinator (as a child of the enclosing
 * context's session, if any), bind its context, run `fn`, then terminate the session. The
 * termination is best effort: its failure is reported, never thrown, so it cannot hide `fn`'s
 * own error or discard `fn`'s result.
 * @internal
 */
async function runSpawn<R>(dependencies: SessionDependencies, options: SpawnOptions, fn: (context: CaracalContext) => R | PromiseLike<R>): Promise<R> {
  if (typeof fn !== 'function') throw new CaracalError('INVALID_ARGUMENT', 'spawn(options, fn) needs a callback function.');
  const { zoneId, clientId } = dependencies;
  const parent = current();
  if (parent !== undefined && parent.zoneId !== zoneId) {
    throw new CaracalError('INVALID_ARGUMENT', `Cannot spawn in zone ${zoneId} inside a context of zone ${parent.zoneId}.`);
  }
  const body = spawnRequestBody(options ?? {}, {
    clientId,
    parentSessionId: parent?.agentSessionId,
    // The child's inherited edge derives from the edge this context acts under, named so the
    // Coordinator need not guess when the parent session holds several.
    parentEdgeId: parent?.agentSessionId === undefined ? undefined : parent.delegationEdgeId,
  });
  const subjectToken = await dependencies.sessionToken(options?.signal);
  const created = await dependencies.coordinator.createAgentSession(zoneId, body, { idempotencyKey: options?.idempotencyKey, signal: options?.signal });
  const { agentSessionId, delegationEdgeId } = created;
  setActiveSpanAttribute('caracal.agent_session_id', agentSessionId);
  setActiveSpanAttribute('caracal.delegation_edge_id', delegationEdgeId);
  const context = childContext(parent, { subjectToken, zoneId, clientId, agentSessionId, delegationEdgeId });
  const run = new RunRecorder(dependencies, agentSessionId, options?.recordRun ?? true);
  run.record(runStartEvent());
  let result: R;
  try {
    result = await contextStorage().run(context, fn, context);
  } catch (error) {
    await run.end(runFailedEvent(error));
    await terminate(dependencies, agentSessionId, true);
    throw error;
  }
  // The result goes before run_completed: the server ends the session on a terminal run status.
  if (options?.recordResult === true) run.record(resultEvent(result));
  await run.end(runCompletedEvent());
  await terminate(dependencies, agentSessionId, false);
  return result;
}

/**
 * `spawn`: begin a session, run `fn` in its context, end it (docs/architecture.md §2), inside one
 * `caracal.spawn` span (a no-op without an OpenTelemetry SDK) that stays active while `fn` runs,
 * so `fn`'s own spans and Caracal's calls are its children.
 * @internal
 */
export function spawnSession<R>(dependencies: SessionDependencies, options: SpawnOptions, fn: (context: CaracalContext) => R | PromiseLike<R>): Promise<R> {
  const attributes = { 'caracal.zone_id': dependencies.zoneId, 'caracal.client_id': dependencies.clientId };
  return inSpan('caracal.spawn', { kind: SpanKind.INTERNAL, attributes }, () => runSpawn(dependencies, options, fn));
}

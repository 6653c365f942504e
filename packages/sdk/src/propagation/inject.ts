import type { CaracalContext } from '../model/caracal-context.ts';
import { caracalBaggage } from './caracal-baggage.ts';
import { BAGGAGE_HEADER, DEFAULT_TRACE_FLAGS, TRACEPARENT_HEADER, TRACESTATE_HEADER, TRACEPARENT_VERSION } from './constants.ts';
import { findHeaderKey } from './headers.ts';
import { isValidTraceFlags, isValidTraceId, newSpanId, newTraceId } from './ids.ts';
import { receivedTracestate } from './tracestate.ts';

// One-entry memos: a context is an immutable value reused for many calls, so its trace id and
// tracestate are validated once, not on every request.
let lastTraceId: string | undefined;
let lastTraceState: string | undefined;
let lastTraceStateSent: string | undefined;

// Baggage of frozen contexts (what `bind` produces), computed once per context: a frozen context
// and its frozen baggage cannot change, so the string is a pure function of the object.
const baggageOfFrozen = new WeakMap<CaracalContext, string>();

/** Caracal's baggage for `ctx`, memoised when `ctx` is frozen. */
function baggageOf(ctx: CaracalContext): string {
  if (!Object.isFrozen(ctx) || (ctx.baggage !== undefined && !Object.isFrozen(ctx.baggage))) return caracalBaggage(ctx);
  let baggage = baggageOfFrozen.get(ctx);
  if (baggage === undefined) {
    baggage = caracalBaggage(ctx);
    baggageOfFrozen.set(ctx, baggage);
  }
  return baggage;
}

/** The context's trace id when valid, else a fresh one (absent, or not W3C-valid). */
export function traceIdOf(ctx: { readonly traceId?: string }): string {
  const traceId = ctx.traceId;
  if (traceId === undefined) return newTraceId();
  if (traceId === lastTraceId) return traceId;
  if (!isValidTraceId(traceId)) return newTraceId();
  lastTraceId = traceId;
  return traceId;
}

/** The context's flags when valid, else `01`. */
export function traceFlagsOf(ctx: { readonly traceFlags?: string }): string {
  const flags = ctx.traceFlags;
  return flags === undefined || !isValidTraceFlags(flags) ? DEFAULT_TRACE_FLAGS : flags;
}

/**
 * The context's `tracestate` when it is a valid non-empty list (without repeated keys, so no key
 * is ever sent twice), else undefined.
 */
export function traceStateOf(ctx: { readonly traceState?: string }): string | undefined {
  const traceState = ctx.traceState;
  if (typeof traceState !== 'string' || traceState === '') return undefined;
  if (traceState === lastTraceState) return lastTraceStateSent;
  const sent = receivedTracestate(traceState);
  if (sent === null || sent === '') return undefined;
  lastTraceState = traceState;
  lastTraceStateSent = sent;
  return sent;
}

/**
 * Writes the W3C headers that carry `ctx` to another process, into `headers`, and returns it.
 *
 * - `traceparent`: version 00 with `ctx.traceId` (a fresh id when absent or invalid), a fresh
 *   64-bit span id for every call, and `ctx.traceFlags` (default `01`). When `headers` already
 *   holds a `traceparent` (OpenTelemetry instrumentation wrote it) neither it nor `tracestate` is
 *   touched, so a request never carries two.
 * - `tracestate`: `ctx.traceState`, when it is a valid list; a repeated key keeps its first member.
 * - `baggage`: `caracal.agent_session`, `caracal.delegation_edge`, `caracal.parent_edge` and
 *   `caracal.hop`, then the members of a `baggage` header already present (ours replace our own
 *   keys there), then `ctx.baggage`. Members past 64 or 8192 bytes are dropped whole, ours last.
 *
 * Header names are matched in any letter case; new ones are written lowercase.
 * @param ctx - the context to carry.
 * @param headers - outgoing headers, written in place.
 * @returns `headers`.
 * @example
 * const headers = inject(current()!, { authorization: `Bearer ${token}` });
 * // headers.traceparent === '00-<ctx.traceId>-<fresh span id>-01'
 * // headers.baggage === 'caracal.agent_session=agentsess_…,caracal.hop=0'
 * @since 0.1.0
 */
export function inject<Target extends Record<string, string>>(ctx: CaracalContext, headers: Target): Target & Record<string, string> {
  const target: Record<string, string> = headers;
  if (findHeaderKey(target, TRACEPARENT_HEADER) === undefined) {
    target[TRACEPARENT_HEADER] = `${TRACEPARENT_VERSION}-${traceIdOf(ctx)}-${newSpanId()}-${traceFlagsOf(ctx)}`;
    const traceState = traceStateOf(ctx);
    if (traceState !== undefined) target[TRACESTATE_HEADER] = traceState;
  }
  const baggageKey = findHeaderKey(target, BAGGAGE_HEADER);
  if (baggageKey === undefined) {
    const baggage = baggageOf(ctx);
    if (baggage !== '') target[BAGGAGE_HEADER] = baggage;
  } else {
    const merged = caracalBaggage(ctx, target[baggageKey]);
    if (merged !== '') target[baggageKey] = merged;
  }
  return headers;
}

import { CaracalError } from '../errors.ts';
import { MAX_HOP, type CaracalContext } from '../model/caracal-context.ts';

const TRACE_ID = /^[0-9a-f]{32}$/;
const TRACE_FLAGS = /^[0-9a-f]{2}$/;

function requireText(value: unknown, field: string): void {
  if (typeof value !== 'string' || value.length === 0) {
    throw new CaracalError('INVALID_ARGUMENT', `CaracalContext.${field} must be a non-empty string.`);
  }
}

function optionalText(value: unknown, field: string): void {
  if (value !== undefined) requireText(value, field);
}

/**
 * Throws `HOP_LIMIT_EXCEEDED` when `hop` is past {@link MAX_HOP}, `INVALID_ARGUMENT` when it is not
 * a non-negative integer. Delegation calls this before any request, so a chain that is too deep
 * never reaches the Coordinator.
 * @internal
 */
export function assertHop(hop: unknown): asserts hop is number {
  if (typeof hop !== 'number' || !Number.isInteger(hop) || hop < 0) {
    throw new CaracalError('INVALID_ARGUMENT', `CaracalContext.hop must be an integer from 0 to ${MAX_HOP}, got ${String(hop)}.`);
  }
  if (hop > MAX_HOP) {
    throw new CaracalError('HOP_LIMIT_EXCEEDED', `Delegation hop ${hop} is past the limit of ${MAX_HOP}.`);
  }
}

function checkTraceFields(context: CaracalContext): void {
  if (context.traceId !== undefined && (!TRACE_ID.test(context.traceId) || /^0+$/.test(context.traceId))) {
    throw new CaracalError('INVALID_ARGUMENT', 'CaracalContext.traceId must be 32 lowercase hex digits, not all zero.');
  }
  if (context.traceFlags !== undefined && !TRACE_FLAGS.test(context.traceFlags)) {
    throw new CaracalError('INVALID_ARGUMENT', 'CaracalContext.traceFlags must be two lowercase hex digits.');
  }
  if (context.traceState !== undefined && typeof context.traceState !== 'string') {
    throw new CaracalError('INVALID_ARGUMENT', 'CaracalContext.traceState must be a string.');
  }
  const baggage: unknown = context.baggage;
  if (baggage === undefined) return;
  if (typeof baggage !== 'object' || baggage === null || Array.isArray(baggage)) {
    throw new CaracalError('INVALID_ARGUMENT', 'CaracalContext.baggage must be a record of strings.');
  }
  for (const value of Object.values(baggage)) {
    if (typeof value !== 'string') throw new CaracalError('INVALID_ARGUMENT', 'CaracalContext.baggage values must be strings.');
  }
}

/**
 * Checks a context and returns it frozen. A caller's unfrozen object is copied rather than
 * frozen in place, so binding never changes a value the caller still holds.
 * @internal
 */
export function freezeContext(context: CaracalContext): CaracalContext {
  if (typeof context !== 'object' || context === null) {
    throw new CaracalError('INVALID_ARGUMENT', 'A CaracalContext must be an object.');
  }
  requireText(context.subjectToken, 'subjectToken');
  requireText(context.zoneId, 'zoneId');
  requireText(context.clientId, 'clientId');
  optionalText(context.agentSessionId, 'agentSessionId');
  optionalText(context.delegationEdgeId, 'delegationEdgeId');
  optionalText(context.parentEdgeId, 'parentEdgeId');
  optionalText(context.actingSessionId, 'actingSessionId');
  optionalText(context.actingEdgeId, 'actingEdgeId');
  assertHop(context.hop);
  checkTraceFields(context);
  if (Object.isFrozen(context) && (context.baggage === undefined || Object.isFrozen(context.baggage))) return context;
  const baggage = context.baggage === undefined ? undefined : Object.freeze({ ...context.baggage });
  return Object.freeze(dropUndefined({ ...context, baggage }));
}

function dropUndefined(context: CaracalContext): CaracalContext {
  const entries = Object.entries(context).filter(([, value]) => value !== undefined);
  return Object.fromEntries(entries) as unknown as CaracalContext;
}

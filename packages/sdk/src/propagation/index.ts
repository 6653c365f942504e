/**
 * `@caracal/sdk/propagation`: W3C Trace Context and Baggage codecs and the Caracal lineage they
 * carry. Pure functions without I/O; parsers return `null` on bad input and never throw.
 * @since 0.1.0
 */

import { assertSupportedNode } from '../node-version.ts';

// On an older Node.js the import fails here, with one line naming the version needed: no module
// this entry loads fails before (undici, which would, is loaded on first use).
assertSupportedNode();

export {
  BAGGAGE_AGENT_SESSION,
  BAGGAGE_DELEGATION_EDGE,
  BAGGAGE_HEADER,
  BAGGAGE_HOP,
  BAGGAGE_MAX_BYTES,
  BAGGAGE_MAX_MEMBERS,
  BAGGAGE_PARENT_EDGE,
  DEFAULT_TRACE_FLAGS,
  TRACEPARENT_HEADER,
  TRACEPARENT_LENGTH,
  TRACEPARENT_VERSION,
  TRACESTATE_HEADER,
  TRACESTATE_MAX_KEY_LENGTH,
  TRACESTATE_MAX_MEMBERS,
  TRACESTATE_MAX_SYSTEM_LENGTH,
  TRACESTATE_MAX_TENANT_LENGTH,
  TRACESTATE_MAX_VALUE_LENGTH,
} from './constants.ts';
export { isValidSpanId, isValidTraceFlags, isValidTraceId, newSpanId, newTraceId } from './ids.ts';
export type { Traceparent, TraceparentParts } from './traceparent.ts';
export { formatTraceparent, parseTraceparent } from './traceparent.ts';
export type { TracestateEntry } from './tracestate.ts';
export { formatTracestate, isValidTracestate, parseTracestate } from './tracestate.ts';
export type { BaggageEntry } from './baggage.ts';
export { formatBaggage, parseBaggage } from './baggage.ts';
export type { HeaderGetter, IncomingHeaders } from './headers.ts';
export type { CaracalBaggageFields, CaracalLineage } from './lineage.ts';
export { inject } from './inject.ts';
export { extract } from './extract.ts';
export type { CaracalPropagatorOptions } from './caracal-propagator.ts';
export { CARACAL_LINEAGE_KEY, CaracalPropagator, getCaracalLineage, setCaracalLineage } from './caracal-propagator.ts';
export { activeOtelTraceContext, activeOtelTraceId } from './otel-active.ts';

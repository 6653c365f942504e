/**
 * Header names, W3C limits and Caracal's baggage keys. Named so that callers and tests refer to
 * one spelling instead of repeating string literals.
 * @since 0.1.0
 */

/**
 * The W3C Trace Context `traceparent` header name (lowercase, as Node delivers it).
 * @example
 * const traceparent = request.headers[TRACEPARENT_HEADER];
 * @since 0.1.0
 */
export const TRACEPARENT_HEADER = 'traceparent';

/**
 * The W3C Trace Context `tracestate` header name.
 * @example
 * const tracestate = request.headers[TRACESTATE_HEADER];
 * @since 0.1.0
 */
export const TRACESTATE_HEADER = 'tracestate';

/**
 * The W3C Baggage `baggage` header name.
 * @example
 * const baggage = request.headers[BAGGAGE_HEADER];
 * @since 0.1.0
 */
export const BAGGAGE_HEADER = 'baggage';

/**
 * The only `traceparent` version this library writes.
 * @example
 * formatTraceparent(parts)?.startsWith(TRACEPARENT_VERSION); // true
 * @since 0.1.0
 */
export const TRACEPARENT_VERSION = '00';

/**
 * Exact length of a version `00` `traceparent` value (`2+1+32+1+16+1+2`).
 * @example
 * formatTraceparent(parts)?.length === TRACEPARENT_LENGTH; // true
 * @since 0.1.0
 */
export const TRACEPARENT_LENGTH = 55;

/**
 * Flags written when a context does not carry its own: `01`, sampled.
 * @example
 * const flags = ctx.traceFlags ?? DEFAULT_TRACE_FLAGS;
 * @since 0.1.0
 */
export const DEFAULT_TRACE_FLAGS = '01';

/**
 * Most list-members a `tracestate` may hold; a longer list is discarded as a whole.
 * @example
 * parseTracestate(list)!.length <= TRACESTATE_MAX_MEMBERS; // always
 * @since 0.1.0
 */
export const TRACESTATE_MAX_MEMBERS = 32;

/**
 * Longest `tracestate` key, `@` and all (Trace Context Level 2 has no other key limit).
 * @example
 * key.length <= TRACESTATE_MAX_KEY_LENGTH;
 * @since 0.1.0
 */
export const TRACESTATE_MAX_KEY_LENGTH = 256;

/**
 * Longest `tracestate` tenant id in a Level 1 `tenant@system` key.
 * @deprecated Trace Context Level 2 made `@` an ordinary key character; the parser no longer
 *   splits keys at `@` and only {@link TRACESTATE_MAX_KEY_LENGTH} applies. Kept for callers.
 * @example
 * tenant.length <= TRACESTATE_MAX_TENANT_LENGTH;
 * @since 0.1.0
 */
export const TRACESTATE_MAX_TENANT_LENGTH = 241;

/**
 * Longest `tracestate` system id in a Level 1 `tenant@system` key.
 * @deprecated Trace Context Level 2 made `@` an ordinary key character; the parser no longer
 *   splits keys at `@` and only {@link TRACESTATE_MAX_KEY_LENGTH} applies. Kept for callers.
 * @example
 * system.length <= TRACESTATE_MAX_SYSTEM_LENGTH;
 * @since 0.1.0
 */
export const TRACESTATE_MAX_SYSTEM_LENGTH = 14;

/**
 * Longest `tracestate` value.
 * @example
 * value.length <= TRACESTATE_MAX_VALUE_LENGTH;
 * @since 0.1.0
 */
export const TRACESTATE_MAX_VALUE_LENGTH = 256;

/**
 * Most list-members a `baggage` header carries (W3C Baggage limits).
 * @example
 * parseBaggage(header)!.length <= BAGGAGE_MAX_MEMBERS; // always
 * @since 0.1.0
 */
export const BAGGAGE_MAX_MEMBERS = 64;

/**
 * Most bytes a `baggage` header carries, separators included (W3C Baggage limits).
 * @example
 * formatBaggage(entries)!.length <= BAGGAGE_MAX_BYTES; // always
 * @since 0.1.0
 */
export const BAGGAGE_MAX_BYTES = 8192;

/**
 * Baggage key carrying `CaracalContext.agentSessionId`.
 * @example
 * parseBaggage(header)?.find((entry) => entry.key === BAGGAGE_AGENT_SESSION);
 * @since 0.1.0
 */
export const BAGGAGE_AGENT_SESSION = 'caracal.agent_session';

/**
 * Baggage key carrying `CaracalContext.delegationEdgeId`.
 * @example
 * parseBaggage(header)?.find((entry) => entry.key === BAGGAGE_DELEGATION_EDGE);
 * @since 0.1.0
 */
export const BAGGAGE_DELEGATION_EDGE = 'caracal.delegation_edge';

/**
 * Baggage key carrying `CaracalContext.parentEdgeId`.
 * @example
 * parseBaggage(header)?.find((entry) => entry.key === BAGGAGE_PARENT_EDGE);
 * @since 0.1.0
 */
export const BAGGAGE_PARENT_EDGE = 'caracal.parent_edge';

/**
 * Baggage key carrying `CaracalContext.hop`.
 * @example
 * parseBaggage(header)?.find((entry) => entry.key === BAGGAGE_HOP);
 * @since 0.1.0
 */
export const BAGGAGE_HOP = 'caracal.hop';

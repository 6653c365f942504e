/**
 * What a receiver can rebuild from `traceparent`, `tracestate` and `baggage` alone.
 *
 * Untrusted: any caller can write these headers. Use it for tracing and logs, and to pick the
 * delegation edge to present; grant nothing from it until the caller's mandate is verified.
 * @example
 * const lineage: CaracalLineage | null = extract(request.headers);
 * @since 0.1.0
 */
export interface CaracalLineage {
  /** 32 lowercase hex digits from `traceparent`. */
  readonly traceId: string;
  /** The caller's span id (`parent-id`) from `traceparent`. */
  readonly spanId: string;
  /** Two lowercase hex digits from `traceparent`. */
  readonly traceFlags: string;
  /** The raw `tracestate` value, present only when it is a valid, non-empty list. */
  readonly traceState?: string;
  /** From baggage `caracal.agent_session`. */
  readonly agentSessionId?: string;
  /** From baggage `caracal.delegation_edge`. */
  readonly delegationEdgeId?: string;
  /** From baggage `caracal.parent_edge`. */
  readonly parentEdgeId?: string;
  /** From baggage `caracal.hop`, present only when it is an integer 0–32. */
  readonly hop?: number;
  /** Every other baggage member, decoded (the last one wins when a key repeats); frozen. */
  readonly baggage: Readonly<Record<string, string>>;
}

/**
 * The lineage fields that travel in baggage; both `CaracalContext` and {@link CaracalLineage}
 * have this shape.
 * @example
 * const fields: CaracalBaggageFields = { agentSessionId, hop: 0 };
 * @since 0.1.0
 */
export interface CaracalBaggageFields {
  readonly agentSessionId?: string;
  readonly delegationEdgeId?: string;
  readonly parentEdgeId?: string;
  readonly hop?: number;
  /** Members that are not Caracal's, carried through untouched. */
  readonly baggage?: Readonly<Record<string, string>>;
}

/**
 * The authority an agent acts under, as one immutable value.
 * docs/decisions/2026-12-04-sdk-context-contract.md lists the fields; the
 * optional trace fields carry W3C state through untouched.
 * @since 0.1.0
 */
export interface CaracalContext {
  /** The bearer mandate presented to the Coordinator and exchanged at the STS. */
  readonly subjectToken: string;
  readonly zoneId: string;
  /** The application (OAuth client id) the agent runs as. */
  readonly clientId: string;
  readonly agentSessionId?: string;
  readonly delegationEdgeId?: string;
  /** The edge this one was derived from, for rebuilding the chain. */
  readonly parentEdgeId?: string;
  /** 32 lowercase hex digits, constant across a top-level context. */
  readonly traceId?: string;
  /** W3C trace flags, two lowercase hex digits (`01` = sampled). */
  readonly traceFlags?: string;
  /** The raw W3C `tracestate` value, carried through untouched. */
  readonly traceState?: string;
  /** Baggage members that are not Caracal's, carried through untouched. */
  readonly baggage?: Readonly<Record<string, string>>;
  /**
   * Set only inside `delegate()` to a session of another application: the session this process
   * presents to the STS instead (its own source session), since it cannot act as a session it
   * does not own. The target application acts under the edge itself
   * (docs/decisions/2026-12-04-sdk-context-contract.md).
   */
  readonly actingSessionId?: string;
  /** The edge presented with {@link actingSessionId} (the delegator's own previous edge, if any). */
  readonly actingEdgeId?: string;
  /** Delegation depth of this call chain, 0–32. */
  readonly hop: number;
}

/** The highest hop count a context may carry: the contract's limit, shared with the server. */
export { MAX_HOP } from '@caracal/protocol';

/**
 * The claims of a mandate, as the STS signs them and every receiver reads them. Types and
 * constants only (no schema library): the SDK takes these without depending on TypeBox.
 */

/**
 * What a mandate is for: a session mandate (client credentials), a per-call mandate (token
 * exchange), a protocol mandate (token exchange with `mandate_use=protocol`: protocol messages
 * that act on nothing, minted without spending budget), an operator's.
 */
export type MandateUse = 'session' | 'call' | 'protocol' | 'operator';

export const MANDATE_USES: readonly MandateUse[] = ['session', 'call', 'protocol', 'operator'];

/** What a token exchange may ask for (`mandate_use`): a per-call mandate (the default) or a protocol mandate. */
export type ExchangedMandateUse = Extract<MandateUse, 'call' | 'protocol'>;

/**
 * The MCP JSON-RPC methods that act (exercise authority, spend budget): a request carrying one
 * of them needs a per-call mandate; every other MCP message may go with a protocol mandate.
 * One list for the client (`createMcpFetch`) and the receiver (the verify middlewares).
 */
export const MCP_ACTING_METHODS: readonly string[] = Object.freeze(['tools/call']);

/** RFC 8693 §4.1 actor claim: who acted before, nested down to the root delegator. */
export interface ActorClaim {
  /** The delegating agent session. */
  sub: string;
  /** The application that owned the delegating session (the edge's issuer). */
  client_id?: string;
  act?: ActorClaim;
}

/** The claims of every mandate the STS signs (a JWT, ES256, `typ: at+jwt`). */
export interface MandateClaims {
  iss: string;
  /** The agent session id, or the client id when the mandate is not bound to a session. */
  sub: string;
  /** The issuer for session and operator mandates; the resource for per-call mandates. */
  aud: string;
  exp: number;
  iat: number;
  nbf: number;
  jti: string;
  client_id: string;
  zone_id: string;
  /** Space-delimited scopes. */
  scope: string;
  use: MandateUse;
  agent_session_id?: string;
  delegation_edge_id?: string;
  /** Edge ids from the root to the edge used (per-call mandates; empty without delegation). */
  delegation_path?: string[];
  /** Length of `delegation_path`, at most MAX_HOP. */
  hop_count?: number;
  act?: ActorClaim;
}

/** Per-call mandates never outlive this, whatever the configuration says. */
export const MAX_CALL_MANDATE_SECONDS = 900;

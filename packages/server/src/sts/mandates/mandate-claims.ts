/** What a mandate is for (`use` claim). */
export type MandateUse = 'session' | 'call' | 'operator';

/** RFC 8693 §4.1 actor claim: who acted before, nested down to the root delegator. */
export interface ActorClaim {
  /** The delegating agent session. */
  sub: string;
  /** The application that owned the delegating session (the edge's issuer). */
  client_id?: string;
  act?: ActorClaim;
}

/** The claims of every mandate the STS signs (DESIGN §4). */
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
  /** Length of `delegation_path`. */
  hop_count?: number;
  act?: ActorClaim;
}

/** Per-call mandates never outlive this, whatever the configuration says (DESIGN §4). */
export const MAX_CALL_MANDATE_SECONDS = 900;
/** The deepest delegation chain a mandate may carry (seed 003: hop 0–32). */
export const MAX_HOPS = 32;

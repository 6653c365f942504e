/** Who is calling, as established from a verified bearer mandate. */
export interface Principal {
  /** The application (OAuth client id) the mandate was issued to. */
  clientId: string;
  zoneId: string;
  scopes: ReadonlySet<string>;
  /** `session` for session mandates, `call` for per-call mandates, `operator` for operator tokens. */
  use: string;
  /** True when the mandate carries the `caracal:admin` scope: may act on other applications' rows. */
  admin: boolean;
  agentSessionId?: string;
  delegationEdgeId?: string;
  /** The verified claims, for handlers that need more. */
  claims: Readonly<Record<string, unknown>>;
}

/** Verifies a bearer mandate; rejects with a 401 ServerError when it is not acceptable. */
export interface TokenVerifier {
  verifyAccessToken(token: string): Promise<Principal>;
}

export const LIFECYCLE_SCOPE = 'agent:lifecycle';
export const ADMIN_SCOPE = 'caracal:admin';

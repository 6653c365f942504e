import { scopeSet, type MandateClaims } from '../core/mandate-claims.ts';
import type { VerifiedMandate } from '../core/verifier.ts';

/**
 * The MCP SDK's `AuthInfo`, structurally (v1 `@modelcontextprotocol/sdk` and v2
 * `@modelcontextprotocol/server` share it), so this package needs neither.
 * @since 0.1.0
 */
export interface McpAuthInfo {
  token: string;
  clientId: string;
  scopes: string[];
  /** Seconds since the epoch. */
  expiresAt?: number;
  resource?: URL;
  extra?: Record<string, unknown>;
}

function resourceOf(claims: MandateClaims): URL | undefined {
  const audience = typeof claims.aud === 'string' ? claims.aud : claims.aud[0];
  if (audience === undefined || !URL.canParse(audience)) return undefined;
  return new URL(audience);
}

/**
 * The verified mandate as MCP `AuthInfo`: MCP servers hand it to tool handlers as
 * `extra.authInfo` (v1) or `ctx.http.authInfo` (v2). `extra.caracal` holds the claims and context.
 * @example
 * // MCP v2, web-standard transport:
 * verifyFetch((request, verified) => transport.handleRequest(request, { authInfo: mcpAuthInfo(verified) }), { verifier });
 * @since 0.1.0
 */
export function mcpAuthInfo(verified: VerifiedMandate): McpAuthInfo {
  const { claims, context } = verified;
  const info: McpAuthInfo = {
    token: verified.token,
    clientId: claims.client_id,
    scopes: [...scopeSet(claims)],
    expiresAt: claims.exp,
    extra: { caracal: { claims, context } },
  };
  const resource = resourceOf(claims);
  if (resource !== undefined) info.resource = resource;
  return info;
}

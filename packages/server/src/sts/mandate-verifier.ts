import { ADMIN_SCOPE, type Principal, type TokenVerifier } from '../auth/principal.ts';
import { unauthorized } from '../http/server-error.ts';
import type { ServerContext } from '../server-context.ts';
import { zoneKeyStoreFor } from './keys/zone-key-store.ts';
import { VerifiedMandateCache } from './mandates/verified-mandate-cache.ts';
import { MandateRejectedError, verifyMandate } from './mandates/verify-mandate.ts';

/**
 * The Coordinator's bearer verification: session and operator mandates of any zone, signed by
 * that zone's key, issued by this server for this server (`aud` = issuer). Per-call mandates are
 * for resources, not for the Coordinator, and are refused.
 */
export function createMandateVerifier(context: Pick<ServerContext, 'database' | 'config' | 'now'>): TokenVerifier {
  const keyStore = zoneKeyStoreFor(context.database, context.config);
  // The same session mandate comes with every Coordinator call: check its signature once a minute.
  const cache = new VerifiedMandateCache();
  return {
    async verifyAccessToken(token: string): Promise<Principal> {
      try {
        // The issuer is read per call: startServer learns its URL only after listening.
        const claims = await verifyMandate(token, {
          keyStore,
          issuer: context.config.issuer,
          audience: context.config.issuer,
          now: context.now(),
          uses: ['session', 'operator'],
          cache,
        });
        const scopes = new Set(claims.scope.split(' ').filter((scope) => scope !== ''));
        return {
          clientId: claims.client_id,
          zoneId: claims.zone_id,
          scopes,
          use: claims.use,
          admin: scopes.has(ADMIN_SCOPE),
          ...(typeof claims.agent_session_id === 'string' ? { agentSessionId: claims.agent_session_id } : {}),
          ...(typeof claims.delegation_edge_id === 'string' ? { delegationEdgeId: claims.delegation_edge_id } : {}),
          claims: claims as unknown as Readonly<Record<string, unknown>>,
        };
      } catch (error) {
        if (error instanceof MandateRejectedError) throw unauthorized(error.message);
        throw error;
      }
    },
  };
}

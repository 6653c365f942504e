import type { TokenVerifier } from '../auth/principal.ts';
import type { ServerContext } from '../server-context.ts';
import { unauthorized } from '../http/server-error.ts';

/** Verifies bearer mandates against the zone keys; written by the STS change. */
export function createMandateVerifier(_context: Pick<ServerContext, 'database' | 'config' | 'now'>): TokenVerifier {
  return {
    verifyAccessToken: async () => {
      throw unauthorized('mandate verification is not configured');
    },
  };
}

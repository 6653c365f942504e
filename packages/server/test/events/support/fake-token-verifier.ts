import type { Principal, TokenVerifier } from '../../../src/auth/principal.ts';
import { unauthorized } from '../../../src/http/server-error.ts';

/** Tokens of the form `test~<zoneId>~<scope,scope…>`; anything else is refused like a bad mandate. */
export function fakeTokenVerifier(): TokenVerifier {
  return {
    async verifyAccessToken(token) {
      const [kind, zoneId, scopes] = token.split('~');
      if (kind !== 'test' || zoneId === undefined) throw unauthorized('not a test token');
      const principal: Principal = {
        clientId: 'app_test',
        zoneId,
        scopes: new Set((scopes ?? '').split(',').filter((scope) => scope !== '')),
        use: 'session',
        admin: false,
        claims: {},
      };
      return principal;
    },
  };
}

export const tokenFor = (zoneId: string, scopes = 'agent:lifecycle'): string => `test~${zoneId}~${scopes}`;

import type { Principal, TokenVerifier } from '../../../src/auth/principal.ts';
import { ADMIN_SCOPE } from '../../../src/auth/principal.ts';
import { unauthorized } from '../../../src/http/server-error.ts';

/**
 * Tokens of the form `test~<zoneId>~<scope,scope…>[~<clientId>]` (client `app_test` by default);
 * `caracal:admin` among the scopes makes an operator. Anything else is refused like a bad mandate.
 */
export function fakeTokenVerifier(): TokenVerifier {
  return {
    async verifyAccessToken(token) {
      const [kind, zoneId, scopes, clientId] = token.split('~');
      if (kind !== 'test' || zoneId === undefined) throw unauthorized('not a test token');
      const scopeSet = new Set((scopes ?? '').split(',').filter((scope) => scope !== ''));
      const principal: Principal = {
        clientId: clientId ?? 'app_test',
        zoneId,
        scopes: scopeSet,
        use: 'session',
        admin: scopeSet.has(ADMIN_SCOPE),
        claims: {},
      };
      return principal;
    },
  };
}

/**
 * An operator's feed token by default: the feed tests check delivery, which an operator sees
 * whole; tests of what an application sees pass its scopes and client id.
 */
export const tokenFor = (zoneId: string, scopes = 'agent:lifecycle,caracal:admin', clientId?: string): string =>
  `test~${zoneId}~${scopes}${clientId === undefined ? '' : `~${clientId}`}`;

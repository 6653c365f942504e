import type { TokenRequestForm, TokenResponse } from '@caracal/protocol';
import { ADMIN_SCOPE, LIFECYCLE_SCOPE } from '../../auth/principal.ts';
import { oauthError } from '../http/oauth-error.ts';
import { missingScopes, parseScopeParameter } from '../http/scopes.ts';
import { newMandateId, signMandate } from '../mandates/sign-mandate.ts';
import type { StsRuntime } from '../sts-runtime.ts';
import { invalidClient, type PresentedClient } from './client-authentication.ts';

/**
 * `grant_type=client_credentials` → the application's session mandate: `use: session`,
 * `aud` = the issuer (it is for the Coordinator and the STS), scope `agent:lifecycle` plus the
 * application's scopes (`caracal:admin` too for admin applications), narrowed by `scope`.
 */
export async function clientCredentialsGrant(
  runtime: StsRuntime,
  form: TokenRequestForm,
  presented: PresentedClient | undefined,
): Promise<TokenResponse> {
  if (presented === undefined) throw invalidClient('client_credentials requires client_id and client_secret (form or HTTP Basic)');
  const requested = parseScopeParameter(form.scope);
  const application = await runtime.clients.authenticate(presented);
  const available = [...application.scopes, ...(application.admin ? [ADMIN_SCOPE] : [])];
  if (requested !== undefined) {
    const beyond = missingScopes(requested, [LIFECYCLE_SCOPE, ...available]);
    if (beyond.length > 0) throw oauthError('invalid_scope', `scope ${beyond.join(' ')} is not registered for client ${application.id}`);
  }
  // The session mandate always carries agent:lifecycle: opening and closing sessions is its purpose.
  const scopes = [...new Set([LIFECYCLE_SCOPE, ...(requested ?? available)])];
  const { config } = runtime.context;
  const now = runtime.context.now();
  const issuedAt = Math.floor(now / 1000);
  const key = await runtime.keyStore.signingKey(application.zoneId, { keyVersion: application.keyVersion, now });
  const scope = scopes.join(' ');
  const accessToken = await signMandate(key, {
    iss: config.issuer,
    sub: application.id,
    aud: config.issuer,
    exp: issuedAt + config.sessionMandateSeconds,
    iat: issuedAt,
    nbf: issuedAt,
    jti: newMandateId(),
    client_id: application.id,
    zone_id: application.zoneId,
    scope,
    use: 'session',
  });
  return { access_token: accessToken, token_type: 'Bearer', expires_in: config.sessionMandateSeconds, scope };
}

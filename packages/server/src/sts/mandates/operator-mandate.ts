import type { TokenResponse } from '@caracal/protocol';
import { ADMIN_SCOPE, LIFECYCLE_SCOPE } from '../../auth/principal.ts';
import { notFound } from '../../http/server-error.ts';
import { readKeyVersion } from '../keys/key-repository.ts';
import type { StsRuntime } from '../sts-runtime.ts';
import { newMandateId, signMandate } from './sign-mandate.ts';

/** The `client_id`/`sub` of operator mandates: they act for a person, not an application. */
export const OPERATOR_CLIENT_ID = 'operator';

/**
 * An operator mandate for the `caracal` CLI: `use: operator`, scope
 * `agent:lifecycle caracal:admin`, bound to one zone, audience the issuer (the Coordinator).
 */
export async function issueOperatorMandate(runtime: StsRuntime, zoneId: string, ttlSeconds: number): Promise<TokenResponse> {
  const { config, database } = runtime.context;
  const keyVersion = await readKeyVersion(database, zoneId);
  if (keyVersion === undefined) throw notFound(`zone ${zoneId} does not exist`);
  const now = runtime.context.now();
  const key = await runtime.keyStore.signingKey(zoneId, { keyVersion, now });
  const issuedAt = Math.floor(now / 1000);
  const scope = `${LIFECYCLE_SCOPE} ${ADMIN_SCOPE}`;
  const accessToken = await signMandate(key, {
    iss: config.issuer,
    sub: OPERATOR_CLIENT_ID,
    aud: config.issuer,
    exp: issuedAt + ttlSeconds,
    iat: issuedAt,
    nbf: issuedAt,
    jti: newMandateId(),
    client_id: OPERATOR_CLIENT_ID,
    zone_id: zoneId,
    scope,
    use: 'operator',
  });
  return { access_token: accessToken, token_type: 'Bearer', expires_in: ttlSeconds, scope };
}

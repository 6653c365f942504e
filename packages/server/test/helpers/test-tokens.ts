import { generateKeyPair, jwtVerify, SignJWT, type CryptoKey } from 'jose';
import { ADMIN_SCOPE, LIFECYCLE_SCOPE, type Principal, type TokenVerifier } from '../../src/auth/principal.ts';
import { unauthorized } from '../../src/http/server-error.ts';

export interface MintOptions {
  zoneId: string;
  clientId: string;
  /** Default: `agent:lifecycle` only. */
  scopes?: readonly string[];
  use?: string;
  expiresInSeconds?: number;
  claims?: Record<string, unknown>;
}

export interface TestTokens {
  /** A TokenVerifier for `buildApp` that accepts exactly the tokens `mint` signs. */
  verifier: TokenVerifier;
  mint(options: MintOptions): Promise<string>;
}

/**
 * Stand-in for the STS in Coordinator tests: signs ES256 mandates with a throwaway key and
 * verifies them into a Principal the way the real verifier will (client_id, zone_id, scope, use).
 */
export async function createTestTokens(): Promise<TestTokens> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  return {
    verifier: { verifyAccessToken: (token) => verify(token, publicKey) },
    mint: (options) => mint(options, privateKey),
  };
}

async function mint(options: MintOptions, privateKey: CryptoKey): Promise<string> {
  const scopes = options.scopes ?? [LIFECYCLE_SCOPE];
  return new SignJWT({
    client_id: options.clientId,
    zone_id: options.zoneId,
    scope: scopes.join(' '),
    use: options.use ?? 'session',
    ...options.claims,
  })
    .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
    .setIssuer('https://caracal.test')
    .setSubject(options.clientId)
    .setIssuedAt()
    .setExpirationTime(`${options.expiresInSeconds ?? 3600}s`)
    .sign(privateKey);
}

async function verify(token: string, publicKey: CryptoKey): Promise<Principal> {
  let claims: Record<string, unknown>;
  try {
    ({ payload: claims } = await jwtVerify(token, publicKey, { algorithms: ['ES256'], issuer: 'https://caracal.test' }));
  } catch (error) {
    throw Object.assign(unauthorized('the bearer mandate is not valid'), { cause: error });
  }
  const { client_id: clientId, zone_id: zoneId, scope, use } = claims;
  if (typeof clientId !== 'string' || typeof zoneId !== 'string' || typeof scope !== 'string') {
    throw unauthorized('the bearer mandate lacks client_id, zone_id or scope');
  }
  const scopes = new Set(scope.split(' ').filter((item) => item !== ''));
  return {
    clientId,
    zoneId,
    scopes,
    use: typeof use === 'string' ? use : 'session',
    admin: scopes.has(ADMIN_SCOPE),
    claims,
  };
}

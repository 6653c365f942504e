import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

export const ZONE = 'zone_test';
export const AUDIENCE = 'mcp://tools.test';
export const SESSION = 'agentsess_01JCALLER';
export const EDGE_ROOT = 'deledge_01JROOT';
export const EDGE_LEAF = 'deledge_01JLEAF';

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

export async function signingKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
}

/**
 * A stand-in STS for tests: serves the zone JWKS on a real port-0 server (counting fetches) and
 * mints ES256 mandates with the claims the real STS writes.
 */
export interface TestIssuer {
  readonly issuer: string;
  readonly jwksUrl: string;
  /** JWKS fetches served so far. */
  readonly jwksFetches: number;
  /** The keys published in the JWKS; replace to rotate. */
  published: SigningKey[];
  readonly key: SigningKey;
  mint(claims?: Record<string, unknown>, options?: { key?: SigningKey; header?: Record<string, unknown> }): Promise<string>;
  close(): Promise<void>;
}

let counter = 0;

export async function startTestIssuer(): Promise<TestIssuer> {
  const key = await signingKey('key-1');
  let fetches = 0;
  const state = { published: [key] };
  const server: Server = createServer((request, response) => {
    if (request.url?.startsWith('/.well-known/jwks.json') !== true) {
      response.writeHead(404).end();
      return;
    }
    fetches++;
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: state.published.map((published) => published.publicJwk) }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    jwksUrl: `${issuer}/.well-known/jwks.json?zone_id=${ZONE}`,
    get jwksFetches() {
      return fetches;
    },
    get published() {
      return state.published;
    },
    set published(keys) {
      state.published = keys;
    },
    key,
    async mint(claims = {}, options = {}) {
      const signing = options.key ?? key;
      const now = Math.floor(Date.now() / 1000);
      const payload = {
        iss: issuer,
        sub: 'app_caller',
        aud: AUDIENCE,
        iat: now,
        nbf: now,
        exp: now + 300,
        jti: `jti-${++counter}-${Math.random().toString(36).slice(2)}`,
        client_id: 'app_caller',
        zone_id: ZONE,
        scope: 'tools:call tools:list',
        use: 'call',
        agent_session_id: SESSION,
        delegation_edge_id: EDGE_LEAF,
        delegation_path: [EDGE_ROOT, EDGE_LEAF],
        hop_count: 2,
        ...claims,
      };
      for (const [name, value] of Object.entries(payload)) if (value === undefined) delete (payload as Record<string, unknown>)[name];
      return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: signing.kid, ...options.header }).sign(signing.privateKey);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

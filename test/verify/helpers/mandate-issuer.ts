import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createVerifier, type Verifier, type VerifierOptions } from '@caracal/sdk/verify';

export const ZONE = 'zone_verify_e2e';
export const CALLER_SESSION = 'agentsess_e2e_caller';
export const CALLER_EDGE = 'deledge_e2e_leaf';

/** A stand-in STS: ES256 mandates minted in the test, the zone JWKS on a real port-0 server. */
export interface MandateIssuer {
  readonly issuer: string;
  mint(audience: string, claims?: Record<string, unknown>): Promise<string>;
  verifier(audience: string, options?: Partial<VerifierOptions>): Verifier;
  close(): Promise<void>;
}

export async function startMandateIssuer(): Promise<MandateIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'e2e-key', alg: 'ES256', use: 'sig' };
  const server = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const verifiers: Verifier[] = [];
  let counter = 0;
  return {
    issuer,
    async mint(audience, claims = {}) {
      const now = Math.floor(Date.now() / 1000);
      const payload: Record<string, unknown> = {
        iss: issuer,
        sub: CALLER_SESSION,
        aud: audience,
        iat: now,
        nbf: now,
        exp: now + 300,
        jti: `e2e-${++counter}-${Math.random().toString(36).slice(2)}`,
        client_id: 'app_e2e_caller',
        zone_id: ZONE,
        scope: 'tools:call agents:message',
        use: 'call',
        agent_session_id: CALLER_SESSION,
        delegation_edge_id: CALLER_EDGE,
        delegation_path: ['deledge_e2e_root', CALLER_EDGE],
        hop_count: 2,
        ...claims,
      };
      for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
      return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'e2e-key' }).sign(privateKey);
    },
    verifier(audience, options = {}) {
      const verifier = createVerifier({ issuer, zoneId: ZONE, audience, ...options });
      verifiers.push(verifier);
      return verifier;
    },
    async close() {
      for (const verifier of verifiers) await verifier.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

import { randomUUID } from 'node:crypto';
import { Caracal, type CaracalContext } from '@caracal/sdk';
import { createVerifier, type Verifier } from '@caracal/sdk/verify';
import { startServer } from '@caracal/server';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';

const ZONE = 'zone_e2e';
const APPLICATION = 'app_e2e_orchestrator';

/** Verifies a bearer mandate for an audience; rejects when it is not valid for it. `acting`: see `VerifyOptions.acting`. */
export type MandateCheck = (token: string, audience: string, acting?: boolean) => Promise<unknown>;

/** The real Caracal server (Coordinator + STS, embedded PGlite) and a client of it. */
export interface CaracalStack {
  readonly url: string;
  readonly caracal: Caracal;
  /** The client's own session mandate: the STS takes it, target servers must never see it. */
  readonly sessionToken: string;
  /** Runs `fn` as an agent: inside `caracal.spawn()`, in a fresh session at the Coordinator. */
  asAgent<R>(fn: (context: CaracalContext) => Promise<R>): Promise<R>;
  /**
   * The check a resource server for `audience` runs: the SDK's own verifier (`@caracal/sdk/verify`,
   * defaults: ES256 against the zone JWKS, issuer, audience, `use: call` (or `protocol` for a
   * request that does not act), one-shot).
   */
  protect(audience: string): MandateCheck;
  /** Reads a mandate's claims after the fact (signature, issuer and audience checked, not consumed). */
  readonly inspect: (token: string, audience: string) => Promise<JWTPayload>;
  close(): Promise<void>;
}

/** Starts the server on port 0 with `resources` bootstrapped in one zone for one application. */
export async function startCaracalStack(resources: readonly string[]): Promise<CaracalStack> {
  const secret = randomUUID();
  const server = await startServer({
    port: 0,
    logger: false,
    jobs: false,
    bootstrap: {
      zones: [{ id: ZONE, applications: [{ id: APPLICATION, secret, scopes: ['tools:call', 'agents:message'] }], resources: resources.map((id) => ({ id, scopes: ['tools:call', 'agents:message'] })) }],
    },
  });
  const caracal = new Caracal({ coordinatorUrl: server.url, zoneId: ZONE, clientId: APPLICATION, clientSecret: secret });
  const sessionToken = await caracal.sessionMandate();
  const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json?zone_id=${ZONE}`));
  const verifiers: Verifier[] = [];
  return {
    url: server.url,
    caracal,
    sessionToken,
    asAgent: (fn) => caracal.spawn({ kind: 'ephemeral' }, fn),
    protect(audience) {
      const verifier = createVerifier({ issuer: server.url, zoneId: ZONE, audience });
      verifiers.push(verifier);
      return (token, _audience, acting) => verifier.verify(token, { acting });
    },
    inspect: async (token, audience) => (await jwtVerify(token, jwks, { issuer: server.url, audience })).payload,
    close: async () => {
      for (const verifier of verifiers) await verifier.close();
      await caracal.close();
      await server.close();
    },
  };
}

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Caracal } from '@caracal/sdk';
import { createVerifier, sseRevocationSource, type Revocation, type RevocationSource, type Verifier } from '@caracal/sdk/verify';
import { startServer } from '@caracal/server';

const ZONE = 'zone_verify_real';
const APPLICATION = 'app_verify_real';
const RESOURCE = 'mcp://tools.verify-real.e2e';

let server: { url: string; close(): Promise<void> };
let caracal: Caracal;
let revocation: RevocationSource;
let verifier: Verifier;

beforeAll(async () => {
  const secret = randomUUID();
  server = await startServer({
    port: 0,
    logger: false,
    jobSettings: { outboxPollIntervalMs: 50 },
    bootstrap: { zones: [{ id: ZONE, applications: [{ id: APPLICATION, secret, scopes: ['tools:call'] }], resources: [{ id: RESOURCE, scopes: ['tools:call'] }] }] },
  });
  caracal = new Caracal({ coordinatorUrl: server.url, zoneId: ZONE, clientId: APPLICATION, clientSecret: secret });
  revocation = sseRevocationSource({ url: server.url, zoneId: ZONE, tokenSource: () => caracal.sessionMandate() });
  await revocation.ready();
  verifier = createVerifier({ issuer: server.url, zoneId: ZONE, audience: RESOURCE, requiredScopes: ['tools:call'], requireAgent: true, revocation });
});

afterAll(async () => {
  await verifier?.close();
  await revocation?.close();
  await caracal?.close();
  await server?.close();
});

function nextRevocation(session: string): Promise<Revocation> {
  return new Promise((resolve) => {
    const unsubscribe = revocation.store.onRevoked((event) => {
      if (!event.sessionIds.includes(session)) return;
      unsubscribe();
      resolve(event);
    });
  });
}

describe('against the real server: STS mandates, Coordinator SSE feed', () => {
  it('verifies a real per-call mandate, and refuses the next one once the session is terminated', async () => {
    let session = '';
    let spare = '';
    let revoked: Promise<Revocation> | undefined;
    await caracal.spawn({ kind: 'ephemeral' }, async (context) => {
      session = context.agentSessionId!;
      revoked = nextRevocation(session);
      const first = await caracal.exchange({ resource: RESOURCE, scopes: ['tools:call'] });
      spare = (await caracal.exchange({ resource: RESOURCE, scopes: ['tools:call'] })).accessToken;
      const verified = await verifier.verify(first.accessToken);
      expect(verified.claims).toMatchObject({ iss: server.url, aud: RESOURCE, zone_id: ZONE, client_id: APPLICATION, use: 'call', agent_session_id: session });
      expect(verified.context).toMatchObject({ zoneId: ZONE, clientId: APPLICATION, agentSessionId: session, hop: 0 });
      await expect(verifier.verify(first.accessToken)).rejects.toMatchObject({ code: 'MANDATE_REPLAYED' });
    });
    // spawn() ended the session: the Coordinator publishes session_revoked, the feed pushes it.
    await revoked;
    await expect(verifier.verify(spare)).rejects.toMatchObject({ code: 'MANDATE_REVOKED' });
  });
});

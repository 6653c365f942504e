import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Caracal } from '@caracal/sdk';
import {
  createRevocationStore,
  createVerifier,
  eventSignatureVerifier,
  redisRevocationSource,
  sseRevocationSource,
  type RevocationSource,
  type RevocationStore,
  type Verifier,
} from '@caracal/sdk/verify';
import { startServer, type RunningServer } from '@caracal/server';
import { serverBackends } from './helpers/server-backends.ts';
import { heardRevocation } from './helpers/heard-revocation.ts';

const ZONE = 'zone_forged_revocation';
const RESOURCE = 'mcp://tools.forged-revocation.e2e';
const EVENT_SECRET = 'forged-revocation-event-secret';

// F1: application B names application A's live session as its own session's `session_sid`, then
// ends it. The revocation of B's session must not revoke A's mandates in any verifier of the zone.
describe.each(serverBackends())('a revocation of one application never revokes another application\'s session ($name)', (backend) => {
  let server: RunningServer;
  let victim: Caracal;
  let attacker: Caracal;
  const sources: Array<{ name: string; source: RevocationSource }> = [];
  const closers: Array<() => Promise<void> | void> = [];

  beforeAll(async () => {
    const secrets = { victim: randomUUID(), attacker: randomUUID() };
    const options = backend.serverOptions();
    server = await startServer({
      port: 0,
      logger: false,
      jobSettings: { outboxPollIntervalMs: 50 },
      ...options,
      eventSigningSecret: EVENT_SECRET,
      bootstrap: {
        zones: [
          {
            id: ZONE,
            applications: [
              { id: 'app_victim', secret: secrets.victim, scopes: ['tools:call'] },
              { id: 'app_attacker', secret: secrets.attacker, scopes: ['tools:call'] },
            ],
            resources: [{ id: RESOURCE, scopes: ['tools:call'] }],
          },
        ],
      },
    });
    victim = new Caracal({ coordinatorUrl: server.url, zoneId: ZONE, clientId: 'app_victim', clientSecret: secrets.victim });
    attacker = new Caracal({ coordinatorUrl: server.url, zoneId: ZONE, clientId: 'app_attacker', clientSecret: secrets.attacker });
    // The victim's resource-side verifiers: its own SSE feed, and on Redis the raw stream too.
    sources.push({ name: 'sse', source: sseRevocationSource({ url: server.url, zoneId: ZONE, tokenSource: () => victim.sessionMandate() }) });
    if (backend.redisUrl !== undefined) {
      const client = createClient({ url: backend.redisUrl });
      await client.connect();
      closers.push(() => client.destroy());
      sources.push({
        name: 'redis',
        source: redisRevocationSource({
          client,
          keyPrefix: options.redisKeyPrefix,
          zoneId: ZONE,
          blockMs: 200,
          store: createRevocationStore(),
          verifyEvent: eventSignatureVerifier(EVENT_SECRET),
        }),
      });
    }
    for (const { source } of sources) await source.ready();
  });

  afterAll(async () => {
    for (const { source } of sources) await source.close();
    for (const close of closers) await close();
    await victim?.close();
    await attacker?.close();
    await server?.close();
    await backend.cleanup();
  });

  const agents = async (method: string, path: string, body?: unknown): Promise<Response> =>
    fetch(`${server.url}/zones/${ZONE}/agents${path}`, {
      method,
      headers: { authorization: `Bearer ${await attacker.sessionMandate()}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it('B spawns with session_sid = A\'s session id and terminates it; A\'s mandates stay valid in every verifier', async () => {
    const verifiers: Array<{ name: string; verifier: Verifier; store: RevocationStore }> = sources.map(({ name, source }) => ({
      name,
      store: source.store,
      verifier: createVerifier({ issuer: server.url, zoneId: ZONE, audience: RESOURCE, requiredScopes: ['tools:call'], revocation: source }),
    }));
    let attackStatus = 0;
    await victim.spawn({ kind: 'instance' }, async (context) => {
      const victimSession = context.agentSessionId!;
      const mandates = await Promise.all(verifiers.map(() => victim.exchange({ resource: RESOURCE, scopes: ['tools:call'] })));

      const attack = await agents('POST', '', { session_sid: victimSession });
      attackStatus = attack.status;
      if (attack.status === 201) {
        const forged = (await attack.json()) as { agent_session_id: string };
        expect((await agents('DELETE', `/${forged.agent_session_id}`)).status).toBe(200);
      }
      // A marker revocation published after the attack's: once a verifier heard it, it heard the attack's too.
      const marker = (await (await agents('POST', '', { session_sid: 'attacker-own-label' })).json()) as { agent_session_id: string };
      expect((await agents('DELETE', `/${marker.agent_session_id}`)).status).toBe(200);
      for (const { store } of verifiers) await heardRevocation(store, marker.agent_session_id);

      for (const [index, { name, verifier, store }] of verifiers.entries()) {
        expect({ name, revoked: store.isRevoked({ sessionId: victimSession }) }).toEqual({ name, revoked: false });
        const verified = await verifier.verify(mandates[index]!.accessToken);
        expect(verified.claims.agent_session_id).toBe(victimSession);
      }
    });
    // The server refuses the label outright: it has the shape of a server-assigned id.
    expect(attackStatus).toBe(400);
    for (const { verifier } of verifiers) await verifier.close();
  });
});

import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Caracal } from '@caracal/sdk';
import {
  createVerifier,
  eventSignatureVerifier,
  REVOKED_TRAILER,
  redisRevocationSource,
  SESSIONS_REVOKE_TOPIC,
  verifyNode,
  type RevocationSource,
} from '@caracal/sdk/verify';
import { startServer, type RunningServer } from '@caracal/server';
import { rawRequest } from './helpers/raw-request.ts';
import { deleteKeys } from './helpers/server-backends.ts';

const REDIS_URL = process.env.CARACAL_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ZONE = 'zone_redis_prefix';
const APPLICATION = 'app_redis_prefix';
const RESOURCE = 'mcp://tools.redis-prefix.e2e';
const EVENT_SECRET = 'redis-prefix-event-secret';

type Redis = ReturnType<typeof createClient>;

// F5: a server with `redisKeyPrefix` signs the unprefixed topic; the SDK's Redis source with the
// same prefix must check the signature over the topic, not over the prefixed key it reads.
describe('the Redis revocation source behind the server\'s redisKeyPrefix', () => {
  const prefix = `e2e_${randomUUID().slice(0, 8)}:`;
  let server: RunningServer;
  let caracal: Caracal;
  let redis: Redis;
  const clients: Redis[] = [];
  const sources: RevocationSource[] = [];

  beforeAll(async () => {
    const secret = randomUUID();
    server = await startServer({
      port: 0,
      logger: false,
      redisUrl: REDIS_URL,
      redisKeyPrefix: prefix,
      eventSigningSecret: EVENT_SECRET,
      jobSettings: { outboxPollIntervalMs: 50 },
      bootstrap: { zones: [{ id: ZONE, applications: [{ id: APPLICATION, secret, scopes: ['tools:call'] }], resources: [{ id: RESOURCE, scopes: ['tools:call'] }] }] },
    });
    caracal = new Caracal({ coordinatorUrl: server.url, zoneId: ZONE, clientId: APPLICATION, clientSecret: secret });
    redis = createClient({ url: REDIS_URL });
    await redis.connect();
  });

  afterAll(async () => {
    for (const source of sources) await source.close();
    for (const client of clients) client.destroy();
    await caracal?.close();
    await server?.close();
    redis?.destroy();
    await deleteKeys(REDIS_URL, [prefix]);
  });

  const openSource = async (naming: 'keyPrefix' | 'prefixed stream' = 'keyPrefix'): Promise<RevocationSource> => {
    const client = redis.duplicate();
    await client.connect();
    clients.push(client);
    const stream = naming === 'keyPrefix' ? { keyPrefix: prefix } : { stream: `${prefix}${SESSIONS_REVOKE_TOPIC}` };
    const source = redisRevocationSource({ client, ...stream, zoneId: ZONE, blockMs: 200, verifyEvent: eventSignatureVerifier(EVENT_SECRET) });
    sources.push(source);
    return source;
  };

  const terminate = async (sessionId: string): Promise<void> => {
    const response = await fetch(`${server.url}/zones/${ZONE}/agents/${sessionId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${await caracal.sessionMandate()}` },
    });
    expect(response.status).toBe(200);
  };

  /** Blocks on the prefixed stream (no polling) until the server's revocation of `sessionId` is on it. */
  const awaitOnStream = async (sessionId: string): Promise<void> => {
    const reader = redis.duplicate();
    await reader.connect();
    try {
      let after = '0';
      for (;;) {
        const reply = await reader.xRead({ key: `${prefix}${SESSIONS_REVOKE_TOPIC}`, id: after }, { BLOCK: 0 });
        for (const entry of reply?.[0]?.messages ?? []) {
          after = entry.id;
          if (String(entry.message.payload).includes(sessionId)) return;
        }
      }
    } finally {
      reader.destroy();
    }
  };

  it.each(['keyPrefix', 'prefixed stream'] as const)('a source started after the revocation (named by %s) reads it from the prefixed stream and refuses the mandate', async (naming) => {
    let session = '';
    let token = '';
    await caracal.spawn({ kind: 'instance' }, async (context) => {
      session = context.agentSessionId!;
      token = (await caracal.exchange({ resource: RESOURCE, scopes: ['tools:call'] })).accessToken;
      await terminate(session);
    });
    await awaitOnStream(session);
    const source = await openSource(naming);
    await source.ready();
    expect(source.store.isRevoked({ sessionId: session })).toBe(true);
    const verifier = createVerifier({ issuer: server.url, zoneId: ZONE, audience: RESOURCE, revocation: source });
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'MANDATE_REVOKED' });
    await verifier.close();
  });

  it('a live revocation cuts an open stream with the trailer and refuses the next mandate', async () => {
    const source = await openSource();
    await source.ready();
    const verifier = createVerifier({ issuer: server.url, zoneId: ZONE, audience: RESOURCE, revocation: source });
    const receiver: Server = createServer(
      verifyNode(
        (request, response) => {
          response.setHeader('content-type', 'text/event-stream');
          response.write('data: tick\n\n');
          // Idle until the revocation cuts the stream.
          request.caracal?.signal.addEventListener('abort', () => undefined);
        },
        { verifier },
      ),
    );
    receiver.listen(0, '127.0.0.1');
    await new Promise((resolve) => receiver.once('listening', resolve));
    const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    try {
      await caracal.spawn({ kind: 'instance' }, async (context) => {
        const session = context.agentSessionId!;
        const [streaming, spare] = await Promise.all([
          caracal.exchange({ resource: RESOURCE, scopes: ['tools:call'] }),
          caracal.exchange({ resource: RESOURCE, scopes: ['tools:call'] }),
        ]);
        let terminated: Promise<void> | undefined;
        const response = await rawRequest(`${receiverUrl}/stream`, {
          headers: { authorization: `Bearer ${streaming.accessToken}` },
          onData: () => {
            terminated ??= terminate(session);
          },
        });
        await terminated;
        expect(response.headers.trailer).toBe(REVOKED_TRAILER);
        expect(response.body).toBe('data: tick\n\n');
        expect(response.trailers['x-caracal-revoked']).toBe(session);
        await expect(verifier.verify(spare.accessToken)).rejects.toMatchObject({ code: 'MANDATE_REVOKED' });
      });
    } finally {
      receiver.closeAllConnections();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
      await verifier.close();
    }
  });
});

import { createHmac, randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRevocationStore, eventSignatureVerifier, redisRevocationSource, type Revocation, type RevocationStore } from '@caracal/sdk/verify';
import { CALLER_SESSION, startMandateIssuer, ZONE, type MandateIssuer } from './helpers/mandate-issuer.ts';

const RESOURCE = 'https://ledger.verify.e2e';
const SECRET = 'e2e-event-signing-secret';

type Redis = ReturnType<typeof createClient>;

let issuer: MandateIssuer;
let redis: Redis;

beforeAll(async () => {
  issuer = await startMandateIssuer();
  redis = createClient({ url: 'redis://127.0.0.1:6379' });
  await redis.connect();
});

afterAll(async () => {
  redis.destroy();
  await issuer.close();
});

/** Appends an entry the way the server's publisher does: flat string fields plus the HMAC signature. */
async function publish(stream: string, payload: Record<string, unknown>, options: { zoneId?: string; forge?: boolean } = {}): Promise<string> {
  const fields: Record<string, string> = {
    outbox_id: randomUUID(),
    type: 'session_revoked',
    zone_id: options.zoneId ?? ZONE,
    payload: JSON.stringify(payload),
    occurred_at: new Date().toISOString(),
    published_by: 'e2e',
  };
  const names = Object.keys(fields).sort();
  const signature = createHmac('sha256', options.forge === true ? 'wrong-secret' : SECRET)
    .update(JSON.stringify([stream, ...names.map((name) => [name, fields[name]])]))
    .digest('hex');
  return redis.xAdd(stream, '*', { ...fields, signature });
}

function nextRevocation(store: RevocationStore): Promise<Revocation> {
  return new Promise((resolve) => {
    const unsubscribe = store.onRevoked((revocation) => {
      unsubscribe();
      resolve(revocation);
    });
  });
}

async function dedicatedClient(): Promise<Redis> {
  const client = redis.duplicate();
  await client.connect();
  return client;
}

describe('redisRevocationSource (real Redis stream, consumer group)', () => {
  it('reads the backlog at start, then a pushed revocation refuses the next request; entries are acknowledged', async () => {
    const stream = `caracal.sessions.revoke.e2e.${randomUUID()}`;
    await publish(stream, { session_id: 'agentsess_revoked_before_start' });
    const client = await dedicatedClient();
    const store = createRevocationStore();
    const source = redisRevocationSource({ client, stream, store, zoneId: ZONE, blockMs: 200, verifyEvent: eventSignatureVerifier(SECRET) });
    const verifier = issuer.verifier(RESOURCE, { revocation: source });
    try {
      await source.ready();
      expect(store.isRevoked({ sessionId: 'agentsess_revoked_before_start' })).toBe(true);
      await verifier.verify(await issuer.mint(RESOURCE));

      const heard = nextRevocation(store);
      await publish(stream, { session_id: CALLER_SESSION });
      expect(await heard).toEqual({ sessionIds: [CALLER_SESSION], edgeIds: [] });
      await expect(verifier.verify(await issuer.mint(RESOURCE))).rejects.toMatchObject({ code: 'MANDATE_REVOKED' });

      const groups = await redis.xInfoGroups(stream);
      expect(groups).toHaveLength(1);
      expect((await redis.xPending(stream, String(groups[0]!.name))).pending).toBe(0);
    } finally {
      await source.close();
      client.destroy();
      await redis.del(stream);
    }
  });

  it('drops forged entries and entries of other zones', async () => {
    const stream = `caracal.sessions.revoke.e2e.${randomUUID()}`;
    const client = await dedicatedClient();
    const source = redisRevocationSource({ client, stream, zoneId: ZONE, blockMs: 200, verifyEvent: eventSignatureVerifier(SECRET) });
    try {
      await source.ready();
      await publish(stream, { session_id: 'agentsess_forged' }, { forge: true });
      await publish(stream, { session_id: 'agentsess_other_zone' }, { zoneId: 'zone_other' });
      const heard = nextRevocation(source.store);
      await publish(stream, { session_id: 'agentsess_marker', edge_ids: ['deledge_marker'] });
      expect(await heard).toEqual({ sessionIds: ['agentsess_marker'], edgeIds: ['deledge_marker'] });
      expect(source.store.isRevoked({ sessionIds: ['agentsess_forged', 'agentsess_other_zone'] })).toBe(false);
    } finally {
      await source.close();
      client.destroy();
      await redis.del(stream);
    }
  });

  it('destroys the group it created when closed; keeps a named group for the next start', async () => {
    const stream = `caracal.sessions.revoke.e2e.${randomUUID()}`;
    const client = await dedicatedClient();
    try {
      const anonymous = redisRevocationSource({ client, stream, blockMs: 200 });
      await anonymous.ready();
      expect(await redis.xInfoGroups(stream)).toHaveLength(1);
      await anonymous.close();
      expect(await redis.xInfoGroups(stream)).toHaveLength(0);

      const named = redisRevocationSource({ client, stream, group: 'verifier-instance-1', consumer: 'worker', blockMs: 200 });
      await named.ready();
      await named.close();
      // A restart with the same group resumes where it left off and still sees new entries.
      await publish(stream, { session_id: 'agentsess_while_down' });
      const restarted = redisRevocationSource({ client, stream, group: 'verifier-instance-1', consumer: 'worker', blockMs: 200 });
      await restarted.ready();
      expect(restarted.store.isRevoked({ sessionId: 'agentsess_while_down' })).toBe(true);
      await restarted.close();
      expect(await redis.xInfoGroups(stream)).toHaveLength(1);
    } finally {
      client.destroy();
      await redis.del(stream);
    }
  });
});

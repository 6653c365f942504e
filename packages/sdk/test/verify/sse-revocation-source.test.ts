import { describe, expect, it } from 'vitest';
import {
  createVerifier,
  DELEGATIONS_INVALIDATE_TOPIC,
  SESSIONS_REVOKE_TOPIC,
  sseRevocationSource,
} from '../../src/verify/index.ts';
import { feedEvent, nextRevocation } from './helpers/revoked.ts';
import { useSseSourceFixture } from './helpers/sse-source-fixture.ts';
import { AUDIENCE, EDGE_ROOT, SESSION, ZONE } from './helpers/test-issuer.ts';

const sse = useSseSourceFixture();

const streamId = (offsetMs = 0): string => `${Date.now() + offsetMs}-0`;

describe('sseRevocationSource', () => {
  it('a revocation pushed on the feed refuses the next request', async () => {
    const revocation = await sse.source();
    await revocation.ready();
    const verifier = createVerifier({ issuer: sse.issuer.issuer, zoneId: ZONE, audience: AUDIENCE, revocation });
    await verifier.verify(await sse.issuer.mint());

    const heard = nextRevocation(revocation.store);
    sse.feed.send(feedEvent({ topic: SESSIONS_REVOKE_TOPIC, type: 'session_revoked', zoneId: ZONE, streamId: streamId(), payload: { session_id: SESSION } }));
    expect(await heard).toEqual({ sessionIds: [SESSION], edgeIds: [] });

    await expect(verifier.verify(await sse.issuer.mint())).rejects.toMatchObject({ code: 'MANDATE_REVOKED' });
    await expect(verifier.verify(await sse.issuer.mint({ agent_session_id: 'agentsess_other', delegation_path: [], delegation_edge_id: undefined }))).resolves.toBeDefined();
    await verifier.close();
  });

  it('an edge revoked anywhere in the delegation path refuses the mandate', async () => {
    const revocation = await sse.source();
    await revocation.ready();
    const verifier = createVerifier({ issuer: sse.issuer.issuer, zoneId: ZONE, audience: AUDIENCE, revocation });
    const heard = nextRevocation(revocation.store);
    sse.feed.send(feedEvent({ topic: DELEGATIONS_INVALIDATE_TOPIC, type: 'edge_revoked', zoneId: ZONE, streamId: streamId(), payload: { edge_id: EDGE_ROOT } }));
    await heard;
    await expect(verifier.verify(await sse.issuer.mint())).rejects.toMatchObject({ code: 'MANDATE_REVOKED' });
    await verifier.close();
  });

  it('connects to the zone feed with the bearer token, both topics and a 24 h replay cursor', async () => {
    const before = Date.now();
    const revocation = await sse.source({ tokenSource: async () => 'fresh-session-mandate', token: undefined });
    await revocation.ready();
    const url = new URL(sse.feed.paths[0]!, sse.feed.url);
    expect(url.pathname).toBe(`/zones/${ZONE}/events`);
    expect(url.searchParams.get('topics')).toBe(`${DELEGATIONS_INVALIDATE_TOPIC},${SESSIONS_REVOKE_TOPIC}`);
    const headers = sse.feed.connections[0]!;
    expect(headers.authorization).toBe('Bearer fresh-session-mandate');
    expect(headers.accept).toBe('text/event-stream');
    const cursor = String(headers['last-event-id']);
    const [first, second] = cursor.split(',');
    expect(first).toMatch(new RegExp(`^${DELEGATIONS_INVALIDATE_TOPIC}@\\d+-0$`));
    expect(second?.startsWith(`${SESSIONS_REVOKE_TOPIC}@`)).toBe(true);
    const since = Number(first!.split('@')[1]!.split('-')[0]);
    expect(since).toBeGreaterThanOrEqual(before - 24 * 3_600_000);
    expect(since).toBeLessThanOrEqual(Date.now() - 24 * 3_600_000);
  });

  it('reconnects after the stream drops, resuming with Last-Event-ID', async () => {
    const revocation = await sse.source();
    await revocation.ready();
    const first = feedEvent({ topic: SESSIONS_REVOKE_TOPIC, type: 'session_revoked', zoneId: ZONE, streamId: streamId(), payload: { session_id: 'agentsess_a' } });
    const heard = nextRevocation(revocation.store);
    sse.feed.send(first);
    await heard;

    sse.feed.dropConnections();
    await sse.feed.connected(2);
    expect(sse.feed.connections[1]!['last-event-id']).toBe(first.id);

    const again = nextRevocation(revocation.store);
    sse.feed.send(feedEvent({ topic: SESSIONS_REVOKE_TOPIC, type: 'session_revoked', zoneId: ZONE, streamId: streamId(1), payload: { session_id: 'agentsess_b' } }));
    expect((await again).sessionIds).toEqual(['agentsess_b']);
    expect(revocation.store.isRevoked({ sessionIds: ['agentsess_a'] })).toBe(true);
  });

  it('retries with a fresh token after a refusal, and drops a cursor the feed refuses', async () => {
    let calls = 0;
    await sse.startFeed();
    sse.feed.nextStatuses = [401, 400];
    const revocation = sseRevocationSource({
      url: sse.feed.url,
      zoneId: ZONE,
      tokenSource: () => `token-${++calls}`,
      reconnect: { minDelayMs: 1, maxDelayMs: 5, jitter: 0 },
      onError: () => undefined,
    });
    sse.track(revocation);
    // The 401 makes the feed down at once (ready() rejects); the source keeps retrying.
    await expect(revocation.ready()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await new Promise<void>((resolve) => {
      const stop = revocation.onHealthChange!((health) => health.state === 'live' && (stop(), resolve()));
    });
    await revocation.ready();
    expect(sse.feed.connections.map((headers) => headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-2', 'Bearer token-3']);
    expect(sse.feed.connections[1]!['last-event-id']).toBeDefined();
    expect(sse.feed.connections[2]!['last-event-id']).toBeUndefined();
  });

  it('ignores edge creations, other zones and undecodable data', async () => {
    const errors: unknown[] = [];
    const revocation = await sse.source({ onError: (error) => errors.push(error) });
    await revocation.ready();
    sse.feed.send(feedEvent({ topic: DELEGATIONS_INVALIDATE_TOPIC, type: 'edge_create', zoneId: ZONE, streamId: streamId(), payload: { edge_id: 'deledge_new', target_session_id: 'agentsess_t' } }));
    sse.feed.send(feedEvent({ topic: SESSIONS_REVOKE_TOPIC, type: 'session_revoked', zoneId: 'zone_other', streamId: streamId(1), payload: { session_id: 'agentsess_elsewhere' } }));
    sse.feed.writeRaw('data: {not json\n\n');
    const heard = nextRevocation(revocation.store);
    sse.feed.send(feedEvent({ topic: SESSIONS_REVOKE_TOPIC, type: 'session_revoked', zoneId: ZONE, streamId: streamId(2), payload: { session_id: 'agentsess_marker' } }));
    expect(await heard).toEqual({ sessionIds: ['agentsess_marker'], edgeIds: [] });
    expect(revocation.store.isRevoked({ sessionId: 'agentsess_elsewhere', edgeIds: ['deledge_new'] })).toBe(false);
    expect(revocation.store.isRevoked({ sessionId: 'agentsess_t' })).toBe(false);
    expect(errors).toHaveLength(1);
  });

  it('close() stops reconnecting', async () => {
    const revocation = await sse.source();
    await revocation.ready();
    await revocation.close();
    sse.untrack(revocation);
    sse.feed.dropConnections();
    expect(sse.feed.connections).toHaveLength(1);
  });
});

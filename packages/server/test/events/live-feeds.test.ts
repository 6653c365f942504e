import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Database } from '../../src/db/database.ts';
import { encodeBusFields } from '../../src/events/bus-event.ts';
import { enqueueEvents, type OutboxEvent } from '../../src/events/enqueue-event.ts';
import { Topics, type Topic } from '../../src/events/topics.ts';
import { testBackends } from '../helpers/backends.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { outboxStatusCounts } from './support/outbox-fixtures.ts';
import { FEED_SECRET } from './support/feed-app.ts';
import { useFeedServer } from './support/feed-server.ts';
import { tokenFor } from './support/fake-token-verifier.ts';
import { openSseStream, type SseStream } from './support/sse-client.ts';

interface FeedJson {
  topic: string;
  type: string;
  zone_id: string;
  outbox_id: string;
  stream_id: string;
  payload: { n: number };
  cursor: string;
}

/** Enqueues one event per entry of `plan` (topic, zone), each in its own transaction, payload n = index. */
async function enqueuePlan(database: Database, plan: Array<[Topic, string]>, offset = 0): Promise<void> {
  for (const [index, [topic, zoneId]] of plan.entries()) {
    const event: OutboxEvent = { topic, type: 'test_event', zoneId, payload: { n: offset + index } };
    await database.transaction((transaction) => enqueueEvents(transaction, [event]));
  }
}

const mixedPlan = (count: number): Array<[Topic, string]> =>
  Array.from({ length: count }, (_, index) => [
    [Topics.agentsLifecycle, Topics.sessionsRevoke, Topics.delegationsInvalidate][index % 3]!,
    index % 4 === 3 ? 'zone_other' : 'zone_a',
  ]);

describe.each(testBackends())('live feeds on $name', (backend) => {
  const feed = useFeedServer(backend, { publisherId: 'feeds', heartbeatMs: 30 });

  const sse = async (path: string, headers: Record<string, string> = {}): Promise<SseStream> =>
    feed.track(await openSseStream(`${feed.url}${path}`, headers));

  it('refuses feeds without a valid mandate for the zone, and bad topics or cursors', async () => {
    const missing = await fetch(`${feed.url}/zones/zone_a/events`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: 'invalid_token' });
    const otherZone = await fetch(`${feed.url}/zones/zone_a/events`, { headers: { authorization: `Bearer ${tokenFor('zone_b')}` } });
    expect(otherZone.status).toBe(403);
    const noScope = await fetch(`${feed.url}/zones/zone_a/events?access_token=${tokenFor('zone_a', 'tools:call')}`);
    expect(noScope.status).toBe(403);
    expect(await noScope.json()).toMatchObject({ error: 'insufficient_scope' });
    const badTopic = await fetch(`${feed.url}/zones/zone_a/events?topics=caracal.nope&access_token=${tokenFor('zone_a')}`);
    expect(badTopic.status).toBe(400);
    const badCursor = await fetch(`${feed.url}/zones/zone_a/events`, {
      headers: { authorization: `Bearer ${tokenFor('zone_a')}`, 'last-event-id': 'garbage' },
    });
    expect(badCursor.status).toBe(400);
  });

  it('streams zone events as SSE with heartbeats and resumes from Last-Event-ID with no loss and no duplicates', async () => {
    const topics = [Topics.agentsLifecycle, Topics.sessionsRevoke];
    const path = `/zones/zone_a/events?topics=${topics.join(',')}`;
    const first = await sse(path, { authorization: `Bearer ${tokenFor('zone_a')}` });
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect((await first.ready).id).toMatch(/^caracal\.agents\.lifecycle@\d+-\d+,caracal\.sessions\.revoke@\d+-\d+$/);

    const plan = mixedPlan(60);
    const expected = plan
      .map(([topic, zone], n) => ({ topic, zone, n }))
      .filter(({ topic, zone }) => zone === 'zone_a' && (topics as string[]).includes(topic))
      .map(({ n }) => n);
    await enqueuePlan(feed.events.database, plan.slice(0, 30));
    const firstBatch = expected.filter((n) => n < 30);
    await first.waitForMessages(firstBatch.length);
    await waitFor(() => first.comments.includes('heartbeat'), { what: 'a heartbeat comment' });
    // Disconnect part-way: keep only what was received up to a point, as a client that dropped would.
    const kept = first.messages.slice(0, firstBatch.length - 3);
    first.close();

    await enqueuePlan(feed.events.database, plan.slice(30), 30);
    const lastEventId = kept.at(-1)!.id!;
    expect(lastEventId).toMatch(/^caracal\.agents\.lifecycle@\d+-\d+,caracal\.sessions\.revoke@\d+-\d+$/);
    const resumed = await sse(`${path}&access_token=${tokenFor('zone_a')}`, { 'last-event-id': lastEventId });
    await resumed.waitForMessages(expected.length - kept.length);

    const all = [...kept, ...resumed.messages].map((message) => JSON.parse(message.data) as FeedJson);
    expect(all.map((event) => event.payload.n).sort((left, right) => left - right)).toEqual(expected);
    expect(new Set(all.map((event) => event.outbox_id)).size).toBe(all.length);
    expect(all.every((event) => event.zone_id === 'zone_a' && (topics as string[]).includes(event.topic))).toBe(true);
    // Per topic the stream order is kept.
    for (const topic of topics) {
      const ids = all.filter((event) => event.topic === topic).map((event) => event.payload.n);
      expect(ids).toEqual([...ids].sort((left, right) => left - right));
    }
    expect(resumed.messages.at(-1)!.id).toBe((JSON.parse(resumed.messages.at(-1)!.data) as FeedJson).cursor);
  });

  it('pushes the same JSON events over a WebSocket and resumes from a cursor', async () => {
    const refused = new WebSocket(`${feed.url.replace('http', 'ws')}/ws?zone_id=zone_a`);
    const status = await new Promise<number>((resolve) => refused.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0)));
    expect(status).toBe(401);

    const socketUrl = `${feed.url.replace('http', 'ws')}/ws?zone_id=zone_a&topics=${Topics.delegationsInvalidate}&access_token=${tokenFor('zone_a')}`;
    const received: FeedJson[] = [];
    const socket = new WebSocket(socketUrl);
    const ready = new Promise<{ ready: boolean; cursor: string }>((resolve) =>
      socket.once('message', (data) => resolve(JSON.parse(String(data)) as { ready: boolean; cursor: string })),
    );
    expect(await ready).toMatchObject({ ready: true, cursor: expect.stringMatching(/^caracal\.delegations\.invalidate@\d+-\d+$/) });
    socket.on('message', (data) => received.push(JSON.parse(String(data)) as FeedJson));
    const plan: Array<[Topic, string]> = [
      [Topics.delegationsInvalidate, 'zone_a'],
      [Topics.agentsLifecycle, 'zone_a'],
      [Topics.delegationsInvalidate, 'zone_other'],
      [Topics.delegationsInvalidate, 'zone_a'],
    ];
    await enqueuePlan(feed.events.database, plan, 1000);
    await waitFor(() => received.length === 2, { what: 'two WebSocket events' });
    expect(received.map((event) => [event.topic, event.zone_id, event.payload.n])).toEqual([
      [Topics.delegationsInvalidate, 'zone_a', 1000],
      [Topics.delegationsInvalidate, 'zone_a', 1003],
    ]);
    socket.close();

    await enqueuePlan(feed.events.database, [[Topics.delegationsInvalidate, 'zone_a']], 2000);
    // Published before reconnecting, so it comes from the backfill, ahead of `ready`.
    await waitFor(async () => (await outboxStatusCounts(feed.events.database)).pending === undefined, { what: 'event 2000 published' });
    const resumed: Array<FeedJson & { ready?: boolean }> = [];
    const again = new WebSocket(`${socketUrl}&cursor=${encodeURIComponent(received[0]!.cursor)}`);
    again.on('message', (data) => resumed.push(JSON.parse(String(data)) as FeedJson));
    await waitFor(() => resumed.length === 3, { what: 'resumed WebSocket events and ready' });
    // Backfill first, then `ready` with the position after it.
    expect(resumed.map((event) => event.payload?.n)).toEqual([1003, 2000, undefined]);
    expect(resumed[2]).toEqual({ ready: true, cursor: resumed[1]!.cursor });
    again.close();
  });

  it('never shows forged entries or a second copy of a re-published outbox row, live or on resume', async () => {
    const topic = Topics.invocationsLifecycle;
    const fields = (outboxId: string, secret = FEED_SECRET) =>
      encodeBusFields(topic, { outboxId, type: 'invocation_started', zoneId: 'zone_a', payload: { n: Number(outboxId) }, occurredAt: '' }, {
        publishedBy: 'test',
        signingSecret: secret,
      });
    const path = `/zones/zone_a/events?topics=${topic}&access_token=${tokenFor('zone_a')}`;
    const live = await sse(path);
    const start = await live.ready;
    await feed.bus.publish(topic, fields('900001'));
    await feed.bus.publish(topic, fields('900002', 'not-the-secret'));
    await feed.bus.publish(topic, fields('900001'));
    await feed.bus.publish(topic, fields('900003'));
    await live.waitForMessages(2);
    const resumed = await sse(path, { 'last-event-id': start.id! });
    await resumed.waitForMessages(2);
    await resumed.ready;
    for (const stream of [live, resumed]) {
      expect(stream.messages.map((message) => (JSON.parse(message.data) as FeedJson).outbox_id)).toEqual(['900001', '900003']);
    }
  });
});

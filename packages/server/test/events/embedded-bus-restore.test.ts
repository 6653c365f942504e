import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeBusEntry } from '../../src/events/bus-event.ts';
import { restoreEmbeddedBus } from '../../src/events/embedded-bus-restore.ts';
import { createMemoryEventBus } from '../../src/events/memory-event-bus.ts';
import { TIMELINE_TOPIC } from '@caracal/protocol';
import { ALL_TOPICS, FEED_TOPICS, Topics } from '../../src/events/topics.ts';
import { testBackends } from '../helpers/backends.ts';
import { openEventBackend, type EventBackend } from './support/event-backend.ts';

const SECRET = 'restore-secret';
const NOW = Date.parse('2030-01-02T00:00:00.000Z');
const HOUR = 3_600_000;

// F9: the in-process bus is rebuilt from the outbox at start, so a feed replaying 24 h sees the
// revocations published before a restart.
describe.each(testBackends())('restoring the embedded bus from the outbox on $name', (backend) => {
  let events: EventBackend;

  beforeAll(async () => {
    events = await openEventBackend(backend);
  }, 60_000);
  beforeEach(async () => {
    await events.resetOutbox();
  });
  afterAll(async () => {
    await events?.close();
  });

  /** Inserts an outbox row as the publisher would have left it. */
  const row = async (topic: string, status: 'published' | 'pending' | 'dead', publishedAgoMs: number, n: number): Promise<void> => {
    const at = new Date(NOW - publishedAgoMs).toISOString();
    await events.database.query(
      `INSERT INTO caracal_outbox (topic, event_type, zone_id, payload, status, created_at, published_at)
       VALUES ($1, 'session_revoked', 'zone_a', $2::jsonb, $3, $4::timestamptz, CASE WHEN $3 = 'published' THEN $4::timestamptz END)`,
      [topic, JSON.stringify({ agent_session_id: `agentsess_${n}`, n }), status, at],
    );
  };

  it('re-appends the rows published in the last 24 h, in order, dated by publish time and signed with the current secret', async () => {
    await row(Topics.sessionsRevoke, 'published', 25 * HOUR, 0);
    await row(Topics.sessionsRevoke, 'published', 2 * HOUR, 1);
    await row(Topics.delegationsInvalidate, 'published', HOUR, 2);
    await row(Topics.sessionsRevoke, 'published', HOUR, 3);
    await row(Topics.sessionsRevoke, 'pending', 0, 4);
    await row(Topics.sessionsRevoke, 'dead', HOUR, 5);
    const bus = createMemoryEventBus({ now: () => NOW });

    expect(await restoreEmbeddedBus({ database: events.database, bus, signingSecret: SECRET, now: NOW, topics: ALL_TOPICS })).toBe(3);

    const revocations = (await bus.read(Topics.sessionsRevoke, { afterId: '0', limit: 10 })).map((entry) => decodeBusEntry(Topics.sessionsRevoke, entry, SECRET));
    expect(revocations.map((decoded) => (decoded.ok ? (decoded.event.payload as { n: number }).n : 'forged'))).toEqual([1, 3]);
    const [first] = await bus.read(Topics.sessionsRevoke, { afterId: '0', limit: 1 });
    expect(Number(first!.id.split('-')[0])).toBe(NOW - 2 * HOUR);
    expect(await bus.read(Topics.delegationsInvalidate, { afterId: '0', limit: 10 })).toHaveLength(1);
    // What is published next comes after everything restored.
    expect(await bus.publish(Topics.sessionsRevoke, { n: 'new' })).toBe(`${NOW}-0`);
  });

  it('leaves alone a bus that already holds entries, and one without restore (Redis)', async () => {
    await row(Topics.sessionsRevoke, 'published', HOUR, 1);
    const busy = createMemoryEventBus({ now: () => NOW });
    await busy.publish(Topics.agentsLifecycle, { n: 'live' });
    expect(await restoreEmbeddedBus({ database: events.database, bus: busy, signingSecret: SECRET, now: NOW, topics: ALL_TOPICS })).toBe(0);
    expect(await busy.latestId(Topics.sessionsRevoke)).toBe('0-0');
    const { restore: _restore, ...withoutRestore } = createMemoryEventBus();
    expect(await restoreEmbeddedBus({ database: events.database, bus: withoutRestore, signingSecret: SECRET, now: NOW, topics: ALL_TOPICS })).toBe(0);
  });

  it('pages through more rows than one query reads', async () => {
    await events.database.query(
      `INSERT INTO caracal_outbox (topic, event_type, zone_id, payload, status, created_at, published_at)
       SELECT $1, 'session_revoked', 'zone_a', jsonb_build_object('n', n), 'published', $2::timestamptz, $2::timestamptz
       FROM generate_series(1, 2500) AS n`,
      [Topics.sessionsRevoke, new Date(NOW - HOUR).toISOString()],
    );
    const bus = createMemoryEventBus({ now: () => NOW });
    expect(await restoreEmbeddedBus({ database: events.database, bus, signingSecret: SECRET, now: NOW, topics: ALL_TOPICS })).toBe(2500);
    const entries = await bus.read(Topics.sessionsRevoke, { afterId: '0', limit: 3000 });
    expect(entries.map((entry) => JSON.parse(entry.fields.payload!).n)).toEqual(Array.from({ length: 2500 }, (_, index) => index + 1));
  });

  it('restores the session timeline too (its feeds resume across a restart), only the topics asked for, at most the newest rows per topic', async () => {
    await row(Topics.sessionsRevoke, 'published', 3 * HOUR, 0);
    for (let n = 1; n <= 5; n += 1) await row(TIMELINE_TOPIC, 'published', 3 * HOUR - n * 1000, n);
    await row('caracal.unknown.topic', 'published', HOUR, 6);
    const bus = createMemoryEventBus({ now: () => NOW });
    expect(await restoreEmbeddedBus({ database: events.database, bus, signingSecret: SECRET, now: NOW, topics: FEED_TOPICS, maxEntriesPerTopic: 3 })).toBe(4);
    const timeline = await bus.read(TIMELINE_TOPIC, { afterId: '0', limit: 10 });
    expect(timeline.map((entry) => JSON.parse(entry.fields.payload!).n)).toEqual([3, 4, 5]);
    expect(Number(timeline[0]!.id.split('-')[0])).toBe(NOW - 3 * HOUR + 3000);
    expect(await bus.read(Topics.sessionsRevoke, { afterId: '0', limit: 10 })).toHaveLength(1);
    expect(await bus.latestId('caracal.unknown.topic')).toBe('0-0');
  });
});

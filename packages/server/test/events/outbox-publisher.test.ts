import { describe, expect, it } from 'vitest';
import { enqueueEvents } from '../../src/events/enqueue-event.ts';
import type { EventBus } from '../../src/events/event-bus.ts';
import { EventBusUnavailableError } from '../../src/events/event-bus-unavailable-error.ts';
import { verifyEventFields } from '../../src/events/event-signature.ts';
import { createOutboxPublisher, type OutboxPublisher } from '../../src/events/outbox-publisher.ts';
import { Topics } from '../../src/events/topics.ts';
import { testBackends } from '../helpers/backends.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { usePublisherBackend, type EventBackend } from './support/event-backend.ts';
import { manualTimers } from './support/manual-timers.ts';
import { nextTime } from './support/next-time.ts';
import { enqueueMany, outboxStatusCounts, readWholeStream } from './support/outbox-fixtures.ts';

const SECRET = 'publisher-test-secret';

/** A bus whose publishes fail on demand, wrapping a real one. */
function flakyBus(inner: EventBus): EventBus & { failWith: Error | undefined } {
  const wrapper = {
    ...inner,
    kind: inner.kind,
    failWith: undefined as Error | undefined,
    async publish(topic: string, fields: Record<string, string>) {
      if (wrapper.failWith !== undefined) throw wrapper.failWith;
      return inner.publish(topic, fields);
    },
    async ping() {
      if (wrapper.failWith !== undefined) throw wrapper.failWith;
      return inner.ping();
    },
  };
  return wrapper;
}

describe.each(testBackends())('outbox publisher on $name', (backend) => {
  let events: EventBackend;
  const running = usePublisherBackend(backend, (opened) => {
    events = opened;
  });

  const publisherFor = (bus: EventBus, options: Partial<Parameters<typeof createOutboxPublisher>[0]> = {}): OutboxPublisher => {
    const publisher = createOutboxPublisher({
      database: events.database,
      bus,
      signingSecret: SECRET,
      publisherId: 'publisher-a',
      ...options,
    });
    running.push(publisher);
    return publisher;
  };

  it('publishes each state change event once, signed, with the outbox id', async () => {
    const bus = await events.openBus();
    await events.database.transaction((transaction) =>
      enqueueEvents(transaction, [
        { topic: Topics.agentsLifecycle, type: 'session_spawned', zoneId: 'zone_a', payload: { agent_session_id: 'agentsess_1' } },
        { topic: Topics.delegationsInvalidate, type: 'edge_create', zoneId: 'zone_a', payload: { delegation_edge_id: 'deledge_1' } },
        { topic: Topics.sessionsRevoke, type: 'session_revoked', zoneId: 'zone_a', payload: { agent_session_id: 'agentsess_1' } },
      ]),
    );
    const publisher = publisherFor(bus);
    await publisher.start();
    await waitFor(async () => (await outboxStatusCounts(events.database)).published === 3, { what: 'three published rows' });

    const ids = (await events.database.query<{ id: string }>('SELECT id::text AS id FROM caracal_outbox ORDER BY id')).rows.map((row) => row.id);
    const entries = [
      ...(await readWholeStream(bus, Topics.agentsLifecycle)).map((entry) => ({ topic: Topics.agentsLifecycle, entry })),
      ...(await readWholeStream(bus, Topics.delegationsInvalidate)).map((entry) => ({ topic: Topics.delegationsInvalidate, entry })),
      ...(await readWholeStream(bus, Topics.sessionsRevoke)).map((entry) => ({ topic: Topics.sessionsRevoke, entry })),
    ];
    expect(entries.map(({ entry }) => entry.fields.outbox_id).sort()).toEqual([...ids].sort());
    for (const { topic, entry } of entries) {
      expect(verifyEventFields(topic, entry.fields, SECRET)).toBe(true);
      expect(entry.fields).toMatchObject({ zone_id: 'zone_a', published_by: 'publisher-a' });
      expect(JSON.parse(entry.fields.payload!)).toBeTypeOf('object');
      // The signature binds the topic: the same fields on another stream do not verify.
      expect(verifyEventFields(Topics.invocationsLifecycle, entry.fields, SECRET)).toBe(false);
    }
    expect(entries.find(({ topic }) => topic === Topics.delegationsInvalidate)?.entry.fields.type).toBe('edge_create');
  });

  it('three concurrent publishers deliver each of 2,000 rows exactly once', async () => {
    const keyPrefix = events.newKeyPrefix();
    await enqueueMany(events.database, 2000);
    const publishers = await Promise.all(
      ['replica-1', 'replica-2', 'replica-3'].map(async (publisherId) =>
        publisherFor(await events.openBus({ keyPrefix }), { publisherId, database: await events.openReplicaDatabase(), pollIntervalMs: 50 }),
      ),
    );
    await Promise.all(publishers.map((publisher) => publisher.start()));
    await waitFor(async () => (await outboxStatusCounts(events.database)).published === 2000, {
      what: '2,000 published rows',
      timeoutMs: 60_000,
    });
    await Promise.all(publishers.map((publisher) => publisher.stop()));

    const reader = await events.openBus({ keyPrefix });
    const entries = await readWholeStream(reader, Topics.agentsLifecycle);
    const timesSeen = new Map<string, number>();
    for (const entry of entries) timesSeen.set(entry.fields.outbox_id!, (timesSeen.get(entry.fields.outbox_id!) ?? 0) + 1);
    expect(entries).toHaveLength(2000);
    expect(timesSeen.size).toBe(2000);
    expect([...timesSeen.values()].every((times) => times === 1)).toBe(true);
  });

  it('keeps several batches in flight in one publisher and still delivers each row once', async () => {
    const bus = await events.openBus();
    const publisher = publisherFor(bus, { concurrency: 4, batchSize: 20, pollIntervalMs: 3_600_000 });
    await publisher.start();
    await enqueueMany(events.database, 400, { perTransaction: 10 });
    await waitFor(async () => (await outboxStatusCounts(events.database)).published === 400, { what: '400 published rows' });
    const ids = (await readWholeStream(bus, Topics.agentsLifecycle)).map((entry) => entry.fields.outbox_id);
    expect(ids).toHaveLength(400);
    expect(new Set(ids).size).toBe(400);
  });

  it('backs off failed rows with the documented delays on the injected clock and marks them dead after maxAttempts', async () => {
    const bus = flakyBus(await events.openBus());
    bus.failWith = new Error('XADD refused');
    let now = Date.now() + 3_600_000;
    const publisher = publisherFor(bus, { maxAttempts: 3, now: () => now, random: () => 0.5, backoffBaseMs: 100, backoffCapMs: 5000 });
    await enqueueMany(events.database, 1);
    const rowState = async () =>
      (
        await events.database.query<{ status: string; attempts: number; available_at: Date | string; last_error: string | null }>(
          'SELECT status, attempts, available_at, last_error FROM caracal_outbox',
        )
      ).rows[0]!;

    // attempt 0 → min(100·2⁰, 5000)/2 + 0.5·5000/2 = 1300 ms
    expect(await publisher.publishBatch()).toMatchObject({ claimed: 1, failed: 1, busUnavailable: false });
    let row = await rowState();
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: 'XADD refused' });
    expect(new Date(row.available_at).getTime()).toBe(now + 1300);
    now += 1299;
    expect((await publisher.publishBatch()).claimed).toBe(0);
    now += 1;
    // attempt 1 → 200/2 + 1250 = 1350 ms
    expect((await publisher.publishBatch()).failed).toBe(1);
    row = await rowState();
    expect(row).toMatchObject({ status: 'pending', attempts: 2 });
    expect(new Date(row.available_at).getTime()).toBe(now + 1350);
    now += 1350;
    expect((await publisher.publishBatch()).failed).toBe(1);
    expect(await rowState()).toMatchObject({ status: 'dead', attempts: 3 });
    now += 3_600_000;
    expect((await publisher.publishBatch()).claimed).toBe(0);
    bus.failWith = undefined;
    expect((await publisher.publishBatch()).claimed).toBe(0);
    expect(await readWholeStream(bus, Topics.agentsLifecycle)).toHaveLength(0);
  });

  it('waits out a bus outage without spending the rows’ attempts, then publishes everything', async () => {
    const bus = flakyBus(await events.openBus());
    bus.failWith = new EventBusUnavailableError('redis is not connected');
    await enqueueMany(events.database, 120);
    const publisher = publisherFor(bus, { maxAttempts: 2, pollIntervalMs: 10, backoffBaseMs: 1, backoffCapMs: 20 });
    await publisher.start();
    // The first batch fails (one attempt each for its 50 rows), then the loop only probes.
    await waitFor(async () => (await events.database.query('SELECT 1 FROM caracal_outbox WHERE attempts > 0')).rows.length > 0);
    const attemptsDuringOutage = await events.database.query<{ max: number }>('SELECT max(attempts) AS max FROM caracal_outbox');
    expect(Number(attemptsDuringOutage.rows[0]!.max)).toBe(1);
    expect((await outboxStatusCounts(events.database)).dead ?? 0).toBe(0);

    bus.failWith = undefined;
    await waitFor(async () => (await outboxStatusCounts(events.database)).published === 120, { what: 'all rows after the outage' });
    expect(await readWholeStream(bus, Topics.agentsLifecycle)).toHaveLength(120);
  });

  it('is woken by the commit NOTIFY, not by polling, and keeps batching while rows remain', async () => {
    const bus = await events.openBus();
    // Timers that never fire on their own: no poll can happen, so only the NOTIFY can start a batch.
    const timers = manualTimers();
    let published = 0;
    const allPublished = nextTime();
    const publisher = publisherFor(bus, {
      timers,
      batchSize: 50,
      observer: {
        published: (_topic, count) => {
          published += count;
          if (published === 500) allPublished.fire();
        },
      },
    });
    await publisher.start();
    await enqueueMany(events.database, 500, { perTransaction: 500 });
    await allPublished.promise;
    // `published` is heard before its batch commits: stopping waits for that commit.
    await publisher.stop({ flushTimeoutMs: 0 });
    expect(timers.fired).toBe(0);
    expect(await outboxStatusCounts(events.database)).toEqual({ published: 500 });
  });

  it('flushes rows still due when stopped', async () => {
    const bus = await events.openBus();
    const publisher = publisherFor(bus, { pollIntervalMs: 3_600_000 });
    await publisher.start();
    // Inserted without NOTIFY, so only the flush on stop can publish them.
    await events.database.query(
      `INSERT INTO caracal_outbox (topic, event_type, zone_id, payload) SELECT $1, 'session_spawned', 'zone_test', '{}'::jsonb FROM generate_series(1, 75)`,
      [Topics.agentsLifecycle],
    );
    await publisher.stop();
    expect(await outboxStatusCounts(events.database)).toEqual({ published: 75 });
  });
});

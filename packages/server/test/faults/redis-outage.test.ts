import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueEvents, type OutboxEvent } from '../../src/events/enqueue-event.ts';
import type { EventBus } from '../../src/events/event-bus.ts';
import { createEventRelay, type EventRelay } from '../../src/events/event-relay.ts';
import { createOutboxPublisher, type OutboxPublisher } from '../../src/events/outbox-publisher.ts';
import { openRedisEventBus } from '../../src/events/redis-event-bus.ts';
import { Topics } from '../../src/events/topics.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { outboxStatusCounts } from '../events/support/outbox-fixtures.ts';
import { useFaultStage } from './support/fault-stage.ts';
import { redisCommand } from './support/throwaway-redis.ts';

const databaseUrl = process.env.CARACAL_TEST_DATABASE_URL;
const SECRET = 'outage-secret';
const TOTAL = 2000;
const PER_TRANSACTION = 10;

describe.runIf(databaseUrl !== undefined && process.env.CARACAL_TEST_REDIS_URL !== undefined)('Redis stopped during load', () => {
  const stage = useFaultStage('fault', databaseUrl!);
  let publisherBus: EventBus;
  let witnessBus: EventBus;
  let publisher: OutboxPublisher;
  let witness: EventRelay;
  const relayed = new Map<string, number>();

  beforeAll(async () => {
    publisherBus = await openRedisEventBus({ url: stage.redis.url, commandTimeoutMs: 1000 });
    witnessBus = await openRedisEventBus({ url: stage.redis.url });
    // The witness is a lifecycle relay on its own connections: what a consumer would see.
    witness = createEventRelay({ bus: witnessBus, signingSecret: SECRET, topics: [Topics.agentsLifecycle] });
    witness.on(Topics.agentsLifecycle, (event) => relayed.set(event.outboxId, (relayed.get(event.outboxId) ?? 0) + 1));
    await witness.start();
    publisher = createOutboxPublisher({
      database: stage.database,
      bus: publisherBus,
      signingSecret: SECRET,
      publisherId: 'outage-publisher',
      pollIntervalMs: 100,
      backoffBaseMs: 20,
      backoffCapMs: 500,
    });
    await publisher.start();
  }, 60_000);

  afterAll(async () => {
    await publisher?.stop({ flushTimeoutMs: 0 });
    await witness?.stop();
    await publisherBus?.close();
    await witnessBus?.close();
  });

  it('loses no event: rows wait in the outbox during the outage and all are delivered after Redis returns', async () => {
    let enqueued = 0;
    const enqueueSome = async (count: number): Promise<void> => {
      for (const target = enqueued + count; enqueued < target; ) {
        const events: OutboxEvent[] = Array.from({ length: PER_TRANSACTION }, (_, index) => ({
          topic: Topics.agentsLifecycle,
          type: 'session_spawned',
          zoneId: 'zone_fault',
          payload: { n: enqueued + index },
        }));
        await stage.database.transaction((transaction) => enqueueEvents(transaction, events));
        enqueued += PER_TRANSACTION;
      }
    };

    await enqueueSome(TOTAL / 4);
    // Stop Redis while rows are still flowing. Writes are paused first so the witness can read
    // everything Redis accepted: Redis without persistence forgets unread entries on shutdown,
    // which is Redis's durability, not the outbox's.
    const load = enqueueSome(TOTAL / 4);
    await waitFor(async () => (await outboxStatusCounts(stage.database)).published! > 0);
    await redisCommand(stage.redis.port, 'CLIENT', 'PAUSE', '30000', 'WRITE');
    const newest = await redisCommand(stage.redis.port, 'XREVRANGE', Topics.agentsLifecycle, '+', '-', 'COUNT', '1');
    const newestOutboxId = /outbox_id\r\n\$\d+\r\n(\d+)\r\n/.exec(newest ?? '')?.[1];
    if (newestOutboxId !== undefined) await waitFor(() => relayed.has(newestOutboxId), { what: 'the witness to catch up' });
    await stage.redis.stop();
    await load;

    // Redis is down: the load goes on, nothing is lost or given up on.
    await enqueueSome(TOTAL / 4);
    const during = await outboxStatusCounts(stage.database);
    expect(during.pending).toBeGreaterThan(0);
    expect(during.dead ?? 0).toBe(0);

    await stage.redis.start();
    await enqueueSome(TOTAL / 4);
    await waitFor(async () => (await outboxStatusCounts(stage.database)).published === TOTAL, {
      what: 'every row published after Redis returned',
      timeoutMs: 60_000,
    });
    await waitFor(() => relayed.size === TOTAL, { what: `the witness to see all ${TOTAL} events`, timeoutMs: 30_000 });

    expect(await outboxStatusCounts(stage.database)).toEqual({ published: TOTAL });
    const ids = (await stage.database.query<{ id: string }>('SELECT id::text AS id FROM caracal_outbox')).rows.map((row) => row.id);
    expect([...relayed.keys()].sort()).toEqual(ids.sort());
    // The relay's dedupe means each event reached its listeners exactly once.
    expect([...relayed.values()].every((times) => times === 1)).toBe(true);
  }, 120_000);
});

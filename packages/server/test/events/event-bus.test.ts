import { createServer } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BusEntry } from '../../src/events/event-bus.ts';
import { isEventBusUnavailable } from '../../src/events/event-bus-unavailable-error.ts';
import { openRedisEventBus } from '../../src/events/redis-event-bus.ts';
import { testBackends } from '../helpers/backends.ts';
import { serverTest } from '../helpers/fixtures.ts';
import { waitFor } from '../helpers/wait-for.ts';

describe.each(testBackends())('event bus on $name', (backend) => {
  serverTest.override('backend', backend);

  serverTest('appends with increasing ids and reads back from any id', async ({ events }) => {
    const bus = await events.openBus();
    expect(await bus.latestId('topic.a')).toBe('0-0');
    const ids: string[] = [];
    for (let index = 0; index < 5; index += 1) ids.push(await bus.publish('topic.a', { index: String(index) }));
    expect(await bus.latestId('topic.a')).toBe(ids[4]);
    expect((await bus.read('topic.a', { afterId: '0', limit: 10 })).map((entry) => entry.fields.index)).toEqual(['0', '1', '2', '3', '4']);
    expect((await bus.read('topic.a', { afterId: ids[1]!, limit: 2 })).map((entry) => entry.id)).toEqual([ids[2], ids[3]]);
    expect(await bus.read('topic.b', { afterId: '0', limit: 10 })).toEqual([]);
  });

  serverTest('delivers everything published after subscribe resolves, in order, and resumes from an id', async ({ events }) => {
    const bus = await events.openBus();
    const early = await bus.publish('topic.live', { n: 'early' });
    const live: BusEntry[] = [];
    const unsubscribe = await bus.subscribe('topic.live', (entry) => live.push(entry));
    for (let index = 0; index < 20; index += 1) await bus.publish('topic.live', { n: String(index) });
    await waitFor(() => live.length === 20, { what: '20 live entries' });
    expect(live.map((entry) => entry.fields.n)).toEqual(Array.from({ length: 20 }, (_, index) => String(index)));

    const resumed: BusEntry[] = [];
    const unsubscribeResumed = await bus.subscribe('topic.live', (entry) => resumed.push(entry), { afterId: early });
    await waitFor(() => resumed.length === 20, { what: 'replayed entries' });
    expect(resumed.map((entry) => entry.id)).toEqual(live.map((entry) => entry.id));
    await unsubscribe();
    await unsubscribeResumed();
    await bus.publish('topic.live', { n: 'after' });
    expect(live).toHaveLength(20);
  });
});

describe('Redis bus while Redis is unreachable', () => {
  let port: number;
  beforeAll(async () => {
    // A port that was just free: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    port = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
  });

  it('opens without throwing, and fails publishes, reads and pings as bus_unavailable', async () => {
    const bus = await openRedisEventBus({ url: `redis://127.0.0.1:${port}`, connectTimeoutMs: 200 });
    try {
      const results = await Promise.allSettled([
        bus.publish('topic', { a: '1' }),
        bus.read('topic', { afterId: '0', limit: 1 }),
        bus.ping(),
      ]);
      for (const result of results) {
        expect(result.status).toBe('rejected');
        expect(isEventBusUnavailable((result as PromiseRejectedResult).reason)).toBe(true);
      }
      // A subscription waits for Redis instead of failing the caller.
      const unsubscribe = await bus.subscribe('topic', () => {});
      await unsubscribe();
    } finally {
      await bus.close();
    }
  });
});

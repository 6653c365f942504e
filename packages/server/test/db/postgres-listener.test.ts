import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { ListenClient } from '../../src/db/listen-connection.ts';
import { createPostgresListener } from '../../src/db/postgres-listener.ts';
import { manualTimers } from '../events/support/manual-timers.ts';
import { nextTime } from '../events/support/next-time.ts';

/** A stand-in for `pg.Client`: connects (or refuses) when told, records its SQL, loses its connection on demand. */
class FakeClient extends EventEmitter implements ListenClient {
  readonly sql: string[] = [];
  readonly refuse: boolean;
  constructor(refuse: boolean) {
    super();
    this.refuse = refuse;
  }
  async connect(): Promise<void> {
    if (this.refuse) throw new Error('connection refused');
  }
  async query(sql: string): Promise<void> {
    this.sql.push(sql);
  }
  async end(): Promise<void> {
    this.emit('end');
  }
  lose(): void {
    this.emit('error', new Error('terminating connection due to administrator command'));
  }
  notify(channel: string, payload: string): void {
    this.emit('notification', { channel, payload });
  }
}

/** A listener on fake clients and manual timers; `refusals` attempts after the first are refused. */
function fakeListener(options: { refusals?: number; random?: number } = {}) {
  const clients: FakeClient[] = [];
  let refusals = options.refusals ?? 0;
  const timers = manualTimers();
  const listener = createPostgresListener(
    {},
    {
      timers,
      random: () => options.random ?? 0,
      openClient: () => {
        const refuse = clients.length > 0 && refusals > 0;
        if (refuse) refusals -= 1;
        const client = new FakeClient(refuse);
        clients.push(client);
        return client;
      },
    },
  );
  return { listener, clients, timers };
}

describe('the Postgres LISTEN connection (fake clients, manual timers)', () => {
  it('replaces a lost connection after the backoff, re-issues LISTEN for every channel and tells the subscriber both ways', async () => {
    const { listener, clients, timers } = fakeListener({ random: 0.5 });
    const heard: string[] = [];
    const interrupted = nextTime<unknown>();
    const restored = nextTime();
    await listener.listen('channel_a', (payload) => heard.push(`a:${payload}`), { onInterrupted: interrupted.fire, onRestored: () => restored.fire() });
    await listener.listen('channel "b"', (payload) => heard.push(`b:${payload}`));
    expect(clients[0]!.sql).toEqual(['LISTEN "channel_a"', 'LISTEN "channel ""b"""']);
    clients[0]!.notify('channel_a', 'one');

    const scheduled = timers.nextScheduled();
    clients[0]!.lose();
    expect(await interrupted.promise).toBeInstanceOf(Error);
    // First reconnect: 50 ms less up to 20 % jitter (random 0.5 → 10 %).
    expect(await scheduled).toBe(45);
    expect(clients).toHaveLength(1);
    timers.fireNext();
    await restored.promise;
    expect(clients).toHaveLength(2);
    expect(clients[1]!.sql).toEqual(['LISTEN "channel_a"', 'LISTEN "channel ""b"""']);
    clients[1]!.notify('channel "b"', 'two');
    expect(heard).toEqual(['a:one', 'b:two']);
    await listener.close();
  });

  it('backs off while reconnecting fails: doubling from 50 ms, capped at 2 s', async () => {
    const { listener, clients, timers } = fakeListener({ refusals: 7 });
    const restored = nextTime();
    await listener.listen('channel_a', () => {}, { onRestored: () => restored.fire() });
    let scheduled = timers.nextScheduled();
    clients[0]!.lose();
    const delays: number[] = [];
    for (let attempt = 0; attempt < 8; attempt += 1) {
      delays.push(await scheduled);
      scheduled = timers.nextScheduled();
      timers.fireNext();
    }
    await restored.promise;
    expect(delays).toEqual([50, 100, 200, 400, 800, 1600, 2000, 2000]);
    expect(clients).toHaveLength(9);
    expect(timers.pendingDelays()).toEqual([]);
    await listener.close();
  });

  it('close() cancels a pending reconnect', async () => {
    const { listener, clients, timers } = fakeListener();
    await listener.listen('channel_a', () => {});
    const scheduled = timers.nextScheduled();
    clients[0]!.lose();
    await scheduled;
    await listener.close();
    expect(timers.pendingDelays()).toEqual([]);
    await expect(listener.listen('channel_b', () => {})).rejects.toThrow('closed');
    expect(clients).toHaveLength(1);
  });

  it('UNLISTENs a channel whose last subscriber leaves, and skips a reconnect nobody needs', async () => {
    const { listener, clients, timers } = fakeListener();
    const first = await listener.listen('channel_a', () => {});
    const second = await listener.listen('channel_a', () => {});
    await first();
    expect(clients[0]!.sql).toEqual(['LISTEN "channel_a"']);
    await second();
    expect(clients[0]!.sql).toEqual(['LISTEN "channel_a"', 'UNLISTEN "channel_a"']);

    const scheduled = timers.nextScheduled();
    clients[0]!.lose();
    await scheduled;
    timers.fireNext();
    expect(clients).toHaveLength(1);
    await listener.close();
  });
});

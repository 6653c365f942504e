import { describe, expect, it } from 'vitest';
import { createCancellableDelay } from '../../src/events/cancellable-delay.ts';
import type { BatchResult } from '../../src/events/outbox-batch.ts';
import { waitForOutboxBus } from '../../src/events/outbox-bus-probe.ts';
import { runOutboxLoop } from '../../src/events/outbox-loop.ts';
import { manualTimers } from './support/manual-timers.ts';

const batch = (claimed: number, busUnavailable = false): BatchResult => ({ claimed, published: busUnavailable ? 0 : claimed, failed: busUnavailable ? claimed : 0, busUnavailable });

describe('the outbox loop (manual timers)', () => {
  it('batches back to back while batches are full, then waits the poll interval; a wake ends the wait', async () => {
    const timers = manualTimers();
    const idle = createCancellableDelay(timers);
    const results = [batch(10), batch(10), batch(3), batch(0)];
    let batches = 0;
    let running = true;
    const errors: unknown[] = [];
    const loop = runOutboxLoop({
      publishBatch: async () => {
        batches += 1;
        const result = results.shift();
        if (result === undefined) throw new Error('no more batches scripted');
        return result;
      },
      idle,
      isRunning: () => running,
      batchSize: 10,
      pollIntervalMs: 1000,
      setBusDown: () => {},
      waitForBus: async () => {},
      onError: (error) => errors.push(error),
    });
    expect(await timers.nextScheduled()).toBe(1000);
    expect(batches).toBe(3);
    const next = timers.nextScheduled();
    idle.cancel();
    expect(await next).toBe(1000);
    expect(batches).toBe(4);
    expect(timers.fired).toBe(0);
    running = false;
    idle.cancel();
    await loop;
    expect(errors).toEqual([]);
  });

  it('stops claiming while the bus is down and waits for it; a failed round is reported and retried on the next poll', async () => {
    const timers = manualTimers();
    const idle = createCancellableDelay(timers);
    const results: Array<BatchResult | Error> = [batch(5, true), new Error('database down'), batch(0)];
    const busStates: boolean[] = [];
    const errors: unknown[] = [];
    let busWaits = 0;
    let running = true;
    const loop = runOutboxLoop({
      publishBatch: async () => {
        const result = results.shift()!;
        if (result instanceof Error) throw result;
        return result;
      },
      idle,
      isRunning: () => running,
      batchSize: 10,
      pollIntervalMs: 1000,
      setBusDown: (down) => busStates.push(down),
      waitForBus: async () => {
        busWaits += 1;
      },
      onError: (error) => errors.push(error),
    });
    expect(await timers.nextScheduled()).toBe(1000);
    expect(busWaits).toBe(1);
    expect(busStates).toEqual([true]);
    expect(errors).toEqual([new Error('database down')]);
    const next = timers.nextScheduled();
    timers.fireNext();
    await next;
    expect(busStates).toEqual([true, false]);
    running = false;
    idle.cancel();
    await loop;
  });

  it('probes a bus that is down with backoff until it answers', async () => {
    const timers = manualTimers();
    let answers = 2;
    const unavailable: unknown[] = [];
    let scheduled = timers.nextScheduled();
    const waiting = waitForOutboxBus(
      {
        bus: {
          ping: async () => {
            if (answers-- > 0) throw new Error('redis is down');
          },
        },
        isRunning: () => true,
        delay: (probe) => 100 * 2 ** probe,
        onUnavailable: (error) => unavailable.push(error),
      },
      createCancellableDelay(timers),
    );
    const delays: number[] = [];
    for (let probe = 0; probe < 3; probe += 1) {
      delays.push(await scheduled);
      if (probe < 2) scheduled = timers.nextScheduled();
      timers.fireNext();
    }
    await waiting;
    expect(delays).toEqual([100, 200, 400]);
    expect(unavailable).toHaveLength(2);
  });
});

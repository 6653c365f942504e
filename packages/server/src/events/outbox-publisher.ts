import type { Database } from '../db/database.ts';
import { systemTimers, type Timers } from '../time/timers.ts';
import { createCancellableDelay } from './cancellable-delay.ts';
import type { EventBus } from './event-bus.ts';
import { publishOutboxBatch, type BatchResult } from './outbox-batch.ts';
import { outboxBackoffDelay } from './outbox-backoff.ts';
import { waitForOutboxBus } from './outbox-bus-probe.ts';
import { registerLocalOutboxPublisher } from './outbox-local-wake.ts';
import { runOutboxLoop } from './outbox-loop.ts';
import type { OutboxPublisherObserver } from './outbox-publisher-observer.ts';
import { startOutboxWakeups, type OutboxWakeups } from './outbox-wakeups.ts';

export type { BatchResult } from './outbox-batch.ts';
export type { OutboxPublisherObserver } from './outbox-publisher-observer.ts';

export interface OutboxPublisherOptions {
  database: Database;
  bus: EventBus;
  /** HMAC secret for the origin signature; every replica and receiver shares it. */
  signingSecret: string;
  /** Names this instance in `published_by`. */
  publisherId: string;
  /** Rows per claim. @default 50 */
  batchSize?: number;
  /**
   * Batches in flight at once in this instance. More than one cuts queueing under load (a commit
   * need not wait for the batch before it to finish) at the price of id order on the bus, which
   * replicas give up anyway. @default 1
   */
  concurrency?: number;
  /** Failed attempts after which a row becomes `dead`. @default 10 */
  maxAttempts?: number;
  /** Fallback poll when no NOTIFY arrives. @default 1000 */
  pollIntervalMs?: number;
  /** Backoff base for failed rows. @default 100 */
  backoffBaseMs?: number;
  /** Backoff ceiling. @default 5000 */
  backoffCapMs?: number;
  /** Milliseconds since the epoch; injectable for fake time. @default Date.now */
  now?: () => number;
  /** Every wait of the publisher (poll, bus probes, LISTEN retries); injectable for fake time. @default systemTimers */
  timers?: Timers;
  /** Jitter source; injectable for deterministic tests. */
  random?: () => number;
  observer?: OutboxPublisherObserver;
}

export interface OutboxPublisher {
  /**
   * Starts the loop(s): woken in-process by this process's commits and by the NOTIFY of other
   * processes' (LISTEN), polling as a fallback, batching while rows remain.
   */
  start(): Promise<void>;
  /** Ends the loop after its in-flight batch, then (by default) flushes what is still due. */
  stop(options?: { flushTimeoutMs?: number }): Promise<void>;
  /** One claim → publish → mark transaction; the loop's unit of work, exposed for tests. */
  publishBatch(): Promise<BatchResult>;
  /** Runs batches until none is due (or the bus is down); resolves to rows published. */
  drain(options?: { deadline?: number }): Promise<number>;
}

/**
 * The outbox publisher (docs/events.md): rows enqueued with each state change are published
 * to the event bus in batches (outbox-batch.ts), by `concurrency` loops (outbox-loop.ts) woken by
 * this process's commits (outbox-local-wake.ts), other processes' NOTIFY (outbox-wakeups.ts) and a
 * fallback poll.
 */
export function createOutboxPublisher(options: OutboxPublisherOptions): OutboxPublisher {
  const { database, bus, observer = {} } = options;
  const batchSize = options.batchSize ?? 50;
  const now = options.now ?? Date.now;
  const timers = options.timers ?? systemTimers;
  const random = options.random ?? Math.random;
  const backoff = { baseMs: options.backoffBaseMs ?? 100, capMs: options.backoffCapMs ?? 5000 };
  const delay = (attempt: number): number => outboxBackoffDelay(attempt, backoff, random);
  const idlers = Array.from({ length: Math.max(1, options.concurrency ?? 1) }, () => createCancellableDelay(timers));
  let running = false;
  let busDown = false;
  let loops: Array<Promise<void>> = [];
  let wakeups: OutboxWakeups | undefined;
  let unregisterLocal: (() => void) | undefined;
  const isRunning = (): boolean => running;

  const publishBatch = (): Promise<BatchResult> =>
    publishOutboxBatch({ ...options, batchSize, maxAttempts: options.maxAttempts ?? 10, backoff, now, random, observer });

  const drain = async (drainOptions: { deadline?: number } = {}): Promise<number> => {
    let total = 0;
    for (;;) {
      if (drainOptions.deadline !== undefined && now() >= drainOptions.deadline) return total;
      const result = await publishBatch();
      total += result.published;
      if (result.claimed < batchSize || result.busUnavailable) return total;
    }
  };

  // NOTIFY arrives at commit of every enqueue; a wake while a batch runs is remembered.
  const wake = (): void => {
    if (!busDown) for (const idle of idlers) idle.cancel();
  };
  // A commit of this process wakes this publisher directly (outbox-local-wake.ts); while the bus
  // is down it declines, and the commit NOTIFYs the other replicas as before.
  const wakeLocal = (): boolean => {
    if (!running || busDown) return false;
    wake();
    return true;
  };
  const busProbe = { bus, isRunning, delay, onUnavailable: (error: unknown) => observer.busUnavailable?.(error) };

  return {
    async start() {
      if (running) return;
      running = true;
      wakeups = await startOutboxWakeups({ database, wake, isRunning, retryDelay: createCancellableDelay(timers), delay, observer });
      unregisterLocal = registerLocalOutboxPublisher(database, wakeLocal);
      loops = idlers.map((idle) =>
        runOutboxLoop({
          publishBatch,
          idle,
          isRunning,
          batchSize,
          pollIntervalMs: options.pollIntervalMs ?? 1000,
          setBusDown: (down) => {
            busDown = down;
          },
          waitForBus: (probeIdle) => waitForOutboxBus(busProbe, probeIdle),
          onError: (error) => observer.loopError?.(error),
        }),
      );
    },
    async stop(stopOptions = {}) {
      if (!running) return;
      running = false;
      unregisterLocal?.();
      unregisterLocal = undefined;
      for (const idle of idlers) idle.cancel();
      await Promise.all([...loops, wakeups?.stop()]);
      wakeups = undefined;
      const flushTimeoutMs = stopOptions.flushTimeoutMs ?? 5000;
      if (flushTimeoutMs > 0 && !busDown) {
        await drain({ deadline: now() + flushTimeoutMs }).catch((error: unknown) => observer.loopError?.(error));
      }
    },
    publishBatch,
    drain,
  };
}

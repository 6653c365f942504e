import type { Database } from '../db/database.ts';
import { encodeBusFields } from './bus-event.ts';
import { createCancellableDelay, type CancellableDelay } from './cancellable-delay.ts';
import type { EventBus } from './event-bus.ts';
import { isEventBusUnavailable } from './event-bus-unavailable-error.ts';
import { outboxBackoffDelay } from './outbox-backoff.ts';
import { claimPendingOutboxRows, markOutboxRowsFailed, markOutboxRowsPublished, type OutboxFailure, type OutboxRow } from './outbox-store.ts';
import { OUTBOX_CHANNEL } from './topics.ts';

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
  /** Backoff ceiling (seed 003: 5 s). @default 5000 */
  backoffCapMs?: number;
  /** Milliseconds since the epoch; injectable for fake time. */
  now?: () => number;
  /** Jitter source; injectable for deterministic tests. */
  random?: () => number;
  observer?: OutboxPublisherObserver;
}

/** Hooks for metrics and logs; the publisher itself stays free of both. */
export interface OutboxPublisherObserver {
  published?(topic: string, count: number): void;
  failed?(row: OutboxRow, error: unknown, dead: boolean): void;
  busUnavailable?(error: unknown): void;
  loopError?(error: unknown): void;
  /** The LISTEN connection was lost: until `listenRestored`, only the poll finds new rows. */
  listenInterrupted?(error: unknown): void;
  /** LISTEN is back (the publisher has already been woken to catch up on commits it missed). */
  listenRestored?(): void;
}

export interface BatchResult {
  claimed: number;
  published: number;
  failed: number;
  /** True when a publish failed because the bus could not be reached at all. */
  busUnavailable: boolean;
}

export interface OutboxPublisher {
  /** Starts the loop(s): LISTEN for commits, poll as a fallback, batch while rows remain. */
  start(): Promise<void>;
  /** Ends the loop after its in-flight batch, then (by default) flushes what is still due. */
  stop(options?: { flushTimeoutMs?: number }): Promise<void>;
  /** One claim → publish → mark transaction; the loop's unit of work, exposed for tests. */
  publishBatch(): Promise<BatchResult>;
  /** Runs batches until none is due (or the bus is down); resolves to rows published. */
  drain(options?: { deadline?: number }): Promise<number>;
}

/**
 * The outbox publisher (DESIGN §5). Each batch is ONE transaction: claim rows with
 * `FOR UPDATE SKIP LOCKED`, XADD each, mark them published, COMMIT. Holding the row locks across
 * the publish is what makes replicas deliver every row once: no other publisher can see the row
 * until it is marked. The remaining window — the process dies (or COMMIT fails) after XADD and
 * before COMMIT — leaves the row pending and it is published again, so delivery is at-least-once
 * at the bus and receivers dedupe by `outbox_id` (the lifecycle relay and live feeds do).
 */
export function createOutboxPublisher(options: OutboxPublisherOptions): OutboxPublisher {
  const { database, bus, observer = {} } = options;
  const batchSize = options.batchSize ?? 50;
  const maxAttempts = options.maxAttempts ?? 10;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const backoff = { baseMs: options.backoffBaseMs ?? 100, capMs: options.backoffCapMs ?? 5000 };
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const idlers = Array.from({ length: concurrency }, () => createCancellableDelay());
  let running = false;
  let loops: Array<Promise<void>> = [];
  let unlisten: (() => Promise<void>) | undefined;
  let busDown = false;

  const publishBatch = (): Promise<BatchResult> =>
    database.transaction(async (transaction) => {
      const claimedAt = new Date(now());
      const rows = await claimPendingOutboxRows(transaction, { limit: batchSize, now: claimedAt });
      if (rows.length === 0) return { claimed: 0, published: 0, failed: 0, busUnavailable: false };
      // Issued together so node-redis pipelines them; one connection keeps their order.
      const outcomes = await Promise.allSettled(
        rows.map((row) =>
          bus.publish(
            row.topic,
            encodeBusFields(
              row.topic,
              { outboxId: row.id, type: row.eventType, zoneId: row.zoneId, payload: row.payload, occurredAt: row.createdAt },
              { publishedBy: options.publisherId, signingSecret: options.signingSecret },
            ),
          ),
        ),
      );
      const publishedIds: string[] = [];
      const failures: OutboxFailure[] = [];
      const publishedByTopic = new Map<string, number>();
      let busUnavailable = false;
      outcomes.forEach((outcome, index) => {
        const row = rows[index]!;
        if (outcome.status === 'fulfilled') {
          publishedIds.push(row.id);
          publishedByTopic.set(row.topic, (publishedByTopic.get(row.topic) ?? 0) + 1);
          return;
        }
        if (isEventBusUnavailable(outcome.reason)) busUnavailable = true;
        const attempts = row.attempts + 1;
        const dead = attempts >= maxAttempts;
        failures.push({
          id: row.id,
          attempts,
          dead,
          availableAt: new Date(claimedAt.getTime() + outboxBackoffDelay(row.attempts, backoff, random)),
          error: outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason),
        });
        observer.failed?.(row, outcome.reason, dead);
      });
      await markOutboxRowsPublished(transaction, publishedIds, claimedAt);
      await markOutboxRowsFailed(transaction, failures);
      for (const [topic, count] of publishedByTopic) observer.published?.(topic, count);
      return { claimed: rows.length, published: publishedIds.length, failed: failures.length, busUnavailable };
    });

  const drain = async (drainOptions: { deadline?: number } = {}): Promise<number> => {
    let total = 0;
    for (;;) {
      if (drainOptions.deadline !== undefined && Date.now() >= drainOptions.deadline) return total;
      const result = await publishBatch();
      total += result.published;
      if (result.claimed < batchSize || result.busUnavailable) return total;
    }
  };

  /** While the bus is down: no claiming (which would spend the rows' attempts), only probing. */
  const waitForBus = async (idle: CancellableDelay): Promise<void> => {
    for (let probe = 0; running; probe += 1) {
      await idle.wait(outboxBackoffDelay(probe, backoff, random));
      if (!running) return;
      try {
        await bus.ping();
        return;
      } catch (error) {
        observer.busUnavailable?.(error);
      }
    }
  };

  const runLoop = async (idle: CancellableDelay): Promise<void> => {
    while (running) {
      try {
        const result = await publishBatch();
        busDown = result.busUnavailable;
        if (busDown) {
          await waitForBus(idle);
          continue;
        }
        // A full batch means more may be waiting: go again at once (keeps up under load).
        if (result.claimed === batchSize) continue;
      } catch (error) {
        // The database is unreachable or the transaction failed: retry on the next poll.
        observer.loopError?.(error);
      }
      if (running) await idle.wait(pollIntervalMs);
    }
  };

  // NOTIFY arrives at commit of every enqueue; a wake while a batch runs is remembered.
  const wake = (): void => {
    if (!busDown) for (const idle of idlers) idle.cancel();
  };
  const listenRetry = createCancellableDelay();
  let listening: Promise<void> = Promise.resolve();

  /**
   * LISTEN for enqueue commits; false when it cannot be set up. While an established LISTEN
   * connection is down the poll keeps publishing (slower); once it is back, one wake catches up
   * on the NOTIFYs lost in between.
   */
  const listenOnce = async (): Promise<boolean> => {
    try {
      const subscription = await database.listen(OUTBOX_CHANNEL, wake, {
        onInterrupted: (error) => observer.listenInterrupted?.(error),
        onRestored: () => {
          wake();
          observer.listenRestored?.();
        },
      });
      if (running) unlisten = subscription;
      else await subscription().catch(() => {});
      return true;
    } catch (error) {
      observer.loopError?.(error);
      return false;
    }
  };

  /** LISTEN could not be set up at start: retried with backoff, the poll publishing meanwhile. */
  const retryListen = async (): Promise<void> => {
    for (let attempt = 0; running; attempt += 1) {
      await listenRetry.wait(outboxBackoffDelay(attempt, backoff, random));
      if (running && (await listenOnce())) {
        // Commits made before LISTEN was in place sent NOTIFYs nobody heard.
        wake();
        observer.listenRestored?.();
        return;
      }
    }
  };

  return {
    async start() {
      if (running) return;
      running = true;
      if (!(await listenOnce())) {
        observer.listenInterrupted?.(new Error('LISTEN could not be set up; publishing by polling until it is'));
        listening = retryListen();
      }
      loops = idlers.map((idle) => runLoop(idle));
    },
    async stop(stopOptions = {}) {
      if (!running) return;
      running = false;
      for (const idle of idlers) idle.cancel();
      listenRetry.cancel();
      await Promise.all([...loops, listening]);
      await unlisten?.().catch(() => {});
      unlisten = undefined;
      const flushTimeoutMs = stopOptions.flushTimeoutMs ?? 5000;
      if (flushTimeoutMs > 0 && !busDown) {
        await drain({ deadline: Date.now() + flushTimeoutMs }).catch((error: unknown) => observer.loopError?.(error));
      }
    },
    publishBatch,
    drain,
  };
}

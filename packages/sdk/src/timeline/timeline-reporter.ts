import { TIMELINE_BATCH_MAX_ITEMS, TIMELINE_EVENT_MAX_BYTES, type PostEventBody } from '@caracal/protocol';
import { systemClock, type Clock } from '../time/clock.ts';
import { byteLength } from './bound-json.ts';
import type { TimelineStats } from './timeline-options.ts';

/** Sends one session's events in one request; rejects when they were not stored. @internal */
export type SendSessionEvents = (sessionId: string, events: readonly PostEventBody[]) => Promise<void>;

/** @internal */
export interface TimelineReporterOptions {
  readonly send: SendSessionEvents;
  /**
   * Bounds a flush. Real time by default, not the client's clock: a simulated clock that jumps
   * ahead on every sleep would end each flush at once (and move the client's time as a side effect).
   */
  readonly timer?: Pick<Clock, 'sleep'> | undefined;
  readonly maxQueuedEvents: number;
  readonly flushTimeoutMs: number;
  /** Largest request body; well under the server's body limit. @default 512 KiB */
  readonly maxBatchBytes?: number | undefined;
  /** Told when a batch fails, for diagnostics; never affects the agent. */
  readonly onSendError?: ((error: unknown, sessionId: string, count: number) => void) | undefined;
}

interface Queued {
  readonly sessionId: string;
  readonly event: PostEventBody;
  readonly bytes: number;
}

interface FlushWaiter {
  readonly sessionId: string | undefined;
  readonly resolve: () => void;
}

const DEFAULT_MAX_BATCH_BYTES = 512 * 1024;

/**
 * The queue between an agent and its session timelines. Recording only appends to a bounded
 * queue and never waits or throws; one background loop sends what is queued, a batch per session
 * (up to TIMELINE_BATCH_MAX_ITEMS events), one request at a time so each session's events keep
 * their order. Events that arrive while a request is in flight ride in the next batch. Failures
 * are counted, never raised: reporting must not break the agent it reports on.
 * @internal
 */
export class TimelineReporter {
  readonly #options: TimelineReporterOptions;
  #queue: Queued[] = [];
  readonly #waiters = new Set<FlushWaiter>();
  #inFlight: string | undefined;
  #inFlightCount = 0;
  #running = false;
  #sent = 0;
  #dropped = 0;
  #failed = 0;

  constructor(options: TimelineReporterOptions) {
    this.#options = options;
  }

  /** Queues `event` for `sessionId`; false (and counted as dropped) when it cannot be. Never throws. */
  enqueue(sessionId: string, event: PostEventBody): boolean {
    let bytes: number;
    try {
      bytes = byteLength(JSON.stringify(event));
    } catch {
      this.#dropped++;
      return false;
    }
    if (bytes > TIMELINE_EVENT_MAX_BYTES || this.#queue.length + this.#inFlightCount >= this.#options.maxQueuedEvents) {
      this.#dropped++;
      return false;
    }
    this.#queue.push({ sessionId, event, bytes });
    this.#start();
    return true;
  }

  stats(): TimelineStats {
    return { sent: this.#sent, dropped: this.#dropped, failed: this.#failed, queued: this.#queue.length + this.#inFlightCount };
  }

  /**
   * Resolves once the events queued for `sessionId` (or all, without one) have been sent or
   * given up on, or after `flushTimeoutMs`, whichever comes first. Never rejects.
   */
  async flush(sessionId?: string): Promise<void> {
    if (this.#settled(sessionId)) return;
    const stop = new AbortController();
    let waiter: FlushWaiter | undefined;
    const drained = new Promise<void>((resolve) => {
      waiter = { sessionId, resolve };
      this.#waiters.add(waiter);
    });
    const timedOut = (this.#options.timer ?? systemClock).sleep(this.#options.flushTimeoutMs, stop.signal).catch(() => undefined);
    try {
      await Promise.race([drained, timedOut]);
    } finally {
      stop.abort();
      if (waiter !== undefined) this.#waiters.delete(waiter);
    }
  }

  #settled(sessionId: string | undefined): boolean {
    if (sessionId === undefined) return this.#queue.length === 0 && this.#inFlight === undefined;
    return this.#inFlight !== sessionId && !this.#queue.some((queued) => queued.sessionId === sessionId);
  }

  #wakeWaiters(): void {
    for (const waiter of this.#waiters) {
      if (this.#settled(waiter.sessionId)) {
        this.#waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  #start(): void {
    if (this.#running) return;
    this.#running = true;
    // Next turn of the event loop: events recorded in the same tick share a request.
    setImmediate(() => void this.#drain());
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const batch = this.#takeBatch();
        await this.#sendBatch(batch);
        this.#wakeWaiters();
      }
    } finally {
      this.#running = false;
      this.#wakeWaiters();
      // An event queued between the last check and here would otherwise wait for the next one.
      if (this.#queue.length > 0) this.#start();
    }
  }

  /** The oldest event's session's events, in order, within the item and byte limits; the rest stay queued. */
  #takeBatch(): Queued[] {
    const sessionId = (this.#queue[0] as Queued).sessionId;
    const maxBytes = this.#options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES;
    const batch: Queued[] = [];
    const rest: Queued[] = [];
    let bytes = 2;
    let full = false;
    for (const queued of this.#queue) {
      if (!full && queued.sessionId === sessionId) {
        full = batch.length >= TIMELINE_BATCH_MAX_ITEMS || (batch.length > 0 && bytes + queued.bytes + 1 > maxBytes);
      }
      if (full || queued.sessionId !== sessionId) {
        rest.push(queued);
        continue;
      }
      batch.push(queued);
      bytes += queued.bytes + 1;
    }
    this.#queue = rest;
    return batch;
  }

  async #sendBatch(batch: readonly Queued[]): Promise<void> {
    const sessionId = (batch[0] as Queued).sessionId;
    this.#inFlight = sessionId;
    this.#inFlightCount = batch.length;
    try {
      await this.#options.send(sessionId, batch.map((queued) => queued.event));
      this.#sent += batch.length;
    } catch (error) {
      this.#failed += batch.length;
      try {
        this.#options.onSendError?.(error, sessionId, batch.length);
      } catch {
        // A broken hook must not stop reporting.
      }
    } finally {
      this.#inFlight = undefined;
      this.#inFlightCount = 0;
    }
  }
}

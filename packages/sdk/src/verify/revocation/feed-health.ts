import { CaracalError } from '../../errors.ts';
import type { Clock } from '../../time/clock.ts';

/**
 * Where a revocation feed stands:
 * - `connecting`: not connected yet since the source was created;
 * - `live`: connected and caught up; revocations arrive as they happen;
 * - `reconnecting`: the connection was lost a moment ago and is being re-established;
 * - `down`: no connection for `downAfterMs`, or the feed refused the source's credentials
 *   (401/403). Revocations made meanwhile are not known to this process.
 * @since 0.1.0
 */
export type RevocationFeedState = 'connecting' | 'live' | 'reconnecting' | 'down';

/** @since 0.1.0 */
export interface RevocationFeedHealth {
  readonly state: RevocationFeedState;
  /** When the feed entered this state, in ms since the epoch. */
  readonly since: number;
  /** The last connection or read failure, kept until the feed is live again. */
  readonly lastError: unknown;
}

/** @since 0.1.0 */
export type RevocationFeedHealthListener = (health: RevocationFeedHealth) => void;

/**
 * How long a revocation feed may be without a connection before it counts as down: long enough
 * for a server restart or a few reconnects, short next to a per-call mandate's 15 minutes.
 * @since 0.1.0
 */
export const DEFAULT_FEED_DOWN_AFTER_MS = 10_000;

/**
 * The health of one source's feed, its change events, and `ready()`: resolves once live, rejects
 * (with the failure that made it so) once down.
 * @internal
 */
export class FeedHealthTracker {
  readonly #clock: Clock;
  readonly #downAfterMs: number;
  readonly #closed: AbortSignal;
  readonly #listeners = new Set<RevocationFeedHealthListener>();
  readonly #waiters = new Set<{ resolve: () => void; reject: (error: unknown) => void }>();
  #health: RevocationFeedHealth;
  #outage: AbortController | undefined;

  constructor(options: { clock: Clock; downAfterMs: number | undefined; closed: AbortSignal }) {
    const downAfterMs = options.downAfterMs ?? DEFAULT_FEED_DOWN_AFTER_MS;
    if (!(downAfterMs > 0)) throw new CaracalError('CONFIG_INVALID', 'downAfterMs must be a positive number of milliseconds.', { setting: 'downAfterMs' });
    this.#clock = options.clock;
    this.#downAfterMs = downAfterMs;
    this.#closed = options.closed;
    this.#health = Object.freeze({ state: 'connecting', since: this.#clock.now(), lastError: undefined });
    this.#startOutage();
  }

  get health(): RevocationFeedHealth {
    return this.#health;
  }

  onChange(listener: RevocationFeedHealthListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Resolves when live (at once if live now); rejects when down (at once if down now). */
  ready(): Promise<void> {
    const { state, lastError } = this.#health;
    if (state === 'live') return Promise.resolve();
    if (state === 'down') return Promise.reject(asReadyError(lastError));
    return new Promise((resolve, reject) => {
      this.#waiters.add({ resolve, reject });
    });
  }

  live(): void {
    this.#outage?.abort();
    this.#outage = undefined;
    if (this.#health.state !== 'live') this.#set('live', undefined);
    for (const waiter of this.#take()) waiter.resolve();
  }

  /**
   * A connection or read failed. `refused` (the feed answered 401/403: retrying with the same
   * credentials will not help) makes the feed down at once; anything else starts the
   * `downAfterMs` countdown, unless one is running.
   */
  failed(error: unknown, refused = false): void {
    if (refused) {
      this.#outage?.abort();
      this.#outage = undefined;
      this.#down(error);
      return;
    }
    if (this.#health.state === 'live') {
      this.#set('reconnecting', error);
      this.#startOutage();
    } else {
      this.#health = Object.freeze({ ...this.#health, lastError: error });
      if (this.#outage === undefined && this.#health.state !== 'down') this.#startOutage();
    }
  }

  /** Settles pending `ready()` calls with `error`; no event after this. */
  close(error: unknown): void {
    this.#outage?.abort();
    this.#listeners.clear();
    for (const waiter of this.#take()) waiter.reject(error);
  }

  #startOutage(): void {
    const outage = new AbortController();
    this.#outage = outage;
    this.#clock.sleep(this.#downAfterMs, AbortSignal.any([outage.signal, this.#closed])).then(
      () => {
        if (this.#outage !== outage) return;
        this.#outage = undefined;
        this.#down(this.#health.lastError ?? new CaracalError('NETWORK_ERROR', `The revocation feed did not connect within ${this.#downAfterMs} ms.`));
      },
      () => undefined,
    );
  }

  #down(error: unknown): void {
    if (this.#health.state !== 'down') this.#set('down', error);
    else this.#health = Object.freeze({ ...this.#health, lastError: error });
    const readyError = asReadyError(error);
    for (const waiter of this.#take()) waiter.reject(readyError);
  }

  #set(state: RevocationFeedState, lastError: unknown): void {
    this.#health = Object.freeze({ state, since: this.#clock.now(), lastError });
    for (const listener of [...this.#listeners]) {
      try {
        listener(this.#health);
      } catch {
        // A failing listener must not stop the feed or the other listeners.
      }
    }
  }

  #take(): Array<{ resolve: () => void; reject: (error: unknown) => void }> {
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    return waiters;
  }
}

/** `ready()` rejects with a CaracalError, whatever the low-level failure was. */
function asReadyError(error: unknown): CaracalError {
  if (error instanceof CaracalError) return error;
  return new CaracalError('NETWORK_ERROR', `The revocation feed is down: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

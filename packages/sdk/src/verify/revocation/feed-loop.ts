import { CaracalError } from '../../errors.ts';
import { systemClock, type Clock } from '../../time/clock.ts';
import { FeedHealthTracker } from './feed-health.ts';
import type { RevocationSourceCommonOptions } from './revocation-source.ts';
import { createRevocationStore, type RevocationStore } from './revocation-store.ts';

/**
 * What every revocation feed keeps: the store it fills, its clock and health, and the loop it
 * runs from `start()` until `stop()`.
 */
export class FeedLoop {
  readonly store: RevocationStore;
  readonly clock: Clock;
  readonly health: FeedHealthTracker;
  readonly #abort = new AbortController();
  #running: Promise<void> = Promise.resolve();

  constructor(options: RevocationSourceCommonOptions & { clock?: Clock | undefined }) {
    this.store = options.store ?? createRevocationStore();
    this.clock = options.clock ?? systemClock;
    this.health = new FeedHealthTracker({ clock: this.clock, downAfterMs: options.downAfterMs, closed: this.#abort.signal });
  }

  /** Aborted once the feed is stopped: the loop and its waits end on it. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  start(run: () => Promise<void>): void {
    this.#running = run();
  }

  /** Ends the loop and waits for it; a `ready()` still pending rejects with `unready`. */
  async stop(unready: string): Promise<void> {
    this.#abort.abort();
    this.health.close(new CaracalError('REQUEST_ABORTED', unready));
    await this.#running;
  }
}

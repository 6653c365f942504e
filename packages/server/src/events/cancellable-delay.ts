import { systemTimers, type Timers } from '../time/timers.ts';

/**
 * A wait that can be cut short: background loops wait on it between rounds, and a wake-up or
 * `stop()` ends the wait at once instead of leaving the loop asleep until the timer fires.
 */
export interface CancellableDelay {
  /** Resolves after `ms`, or earlier when `cancel()` is called. */
  wait(ms: number): Promise<void>;
  /** Ends the current wait (and makes the next `wait` return at once if none is running). */
  cancel(): void;
}

export function createCancellableDelay(timers: Timers = systemTimers): CancellableDelay {
  let release: (() => void) | undefined;
  let cancelledEarly = false;
  return {
    wait(ms) {
      if (cancelledEarly) {
        cancelledEarly = false;
        return Promise.resolve();
      }
      return new Promise((resolve) => {
        const cancelTimer = timers.schedule(done, ms);
        function done(): void {
          cancelTimer();
          release = undefined;
          resolve();
        }
        release = done;
      });
    },
    cancel() {
      if (release === undefined) cancelledEarly = true;
      else release();
    },
  };
}

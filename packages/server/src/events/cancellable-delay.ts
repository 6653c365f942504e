/**
 * A timer that can be cut short: background loops wait on it between rounds and `stop()` ends
 * the wait at once instead of leaving the process waiting for the timer. The timer is unref'd so
 * it never keeps the process alive on its own.
 */
export interface CancellableDelay {
  /** Resolves after `ms`, or earlier when `cancel()` is called. */
  wait(ms: number): Promise<void>;
  /** Ends the current wait (and makes the next `wait` return at once if none is running). */
  cancel(): void;
}

export function createCancellableDelay(): CancellableDelay {
  let release: (() => void) | undefined;
  let cancelledEarly = false;
  return {
    wait(ms) {
      if (cancelledEarly) {
        cancelledEarly = false;
        return Promise.resolve();
      }
      return new Promise((resolve) => {
        const timer = setTimeout(done, ms);
        timer.unref();
        function done(): void {
          clearTimeout(timer);
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

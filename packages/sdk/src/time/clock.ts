import { CaracalError } from '../errors.ts';

/**
 * Time as the SDK sees it. Injected so tests and simulations control waits and token expiry
 * instead of sleeping for real.
 * @example
 * let fakeNow = 0;
 * const caracal = new Caracal({ ...options, clock: { now: () => fakeNow, sleep: async (ms) => { fakeNow += ms } } });
 * @since 0.1.0
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`; rejects with a `REQUEST_ABORTED` CaracalError when `signal` aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

function abortedError(signal: AbortSignal): CaracalError {
  return new CaracalError('REQUEST_ABORTED', 'The operation was aborted while waiting to retry.', { cause: signal.reason });
}

/**
 * The real clock: `Date.now()` and an abortable `setTimeout`.
 * @since 0.1.0
 */
export const systemClock: Clock = Object.freeze({
  now: (): number => Date.now(),
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(abortedError(signal));
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(abortedError(signal as AbortSignal));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
});

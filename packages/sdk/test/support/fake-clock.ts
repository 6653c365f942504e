import { CaracalError, type Clock } from '../../src/index.ts';

/** A clock whose time moves only when told to, or when the SDK sleeps (instantly). */
export interface FakeClock extends Clock {
  /** Every wait the SDK asked for, in order. */
  readonly sleeps: number[];
  advance(ms: number): void;
}

/**
 * Sleeping advances the fake time and resolves at once, so retry waits cost no real time and
 * tests read the waits from `sleeps`. With `hold`, sleeps never resolve (until aborted), to test
 * cancellation during a wait.
 */
export function createFakeClock(options: { start?: number; hold?: boolean } = {}): FakeClock {
  let now = options.start ?? Date.UTC(2025, 0, 1);
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    advance(ms) {
      now += ms;
    },
    sleep(ms, signal) {
      sleeps.push(ms);
      if (options.hold) {
        return new Promise((_resolve, reject) => {
          const abort = (): void => reject(new CaracalError('REQUEST_ABORTED', 'aborted during fake sleep', { cause: signal?.reason }));
          if (signal?.aborted) abort();
          signal?.addEventListener('abort', abort, { once: true });
        });
      }
      now += ms;
      return Promise.resolve();
    },
  };
}

/** A clock tests move by hand, injected as the server's `now`. */
export interface TestClock {
  now(): number;
  set(milliseconds: number): void;
  advance(milliseconds: number): void;
}

/**
 * Starts at `start` and moves only when told to; with `tickMs`, each reading also moves it on by
 * that much, so ids minted from successive readings stay ordered.
 */
export function testClock(options: { start?: number; tickMs?: number } = {}): TestClock {
  let current = options.start ?? Date.now();
  const tick = options.tickMs ?? 0;
  return {
    now: () => (current += tick),
    set: (milliseconds) => {
      current = milliseconds;
    },
    advance: (milliseconds) => {
      current += milliseconds;
    },
  };
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../src/index.ts';

describe('backoffDelay', () => {
  it('grows by factor from minDelayMs and stops at maxDelayMs (attempt 1 is the first retry)', () => {
    const options = { minDelayMs: 100, maxDelayMs: 1000 };
    expect([0, 1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(attempt, options, () => 0.5))).toEqual([100, 100, 200, 400, 800, 1000, 1000]);
    expect(backoffDelay(3, { ...options, factor: 3 }, () => 0.5)).toBe(900);
  });

  it("'step' jitter takes up to the jitter share off the step", () => {
    const options = { minDelayMs: 100, maxDelayMs: 1000, jitter: 0.5 };
    expect(backoffDelay(2, options, () => 0)).toBe(200);
    expect(backoffDelay(2, options, () => 0.999999)).toBe(100);
    expect(backoffDelay(2, { ...options, jitter: 7 }, () => 0.5)).toBe(100);
  });

  it("'ceiling' jitter keeps (1 − jitter) of the step and spreads the rest over the ceiling", () => {
    const options = { minDelayMs: 100, maxDelayMs: 5000, jitter: 0.5, jitterSpread: 'ceiling' } as const;
    expect(backoffDelay(1, options, () => 0)).toBe(50);
    expect(backoffDelay(1, options, () => 1)).toBe(2550);
    expect(backoffDelay(4, options, () => 0.5)).toBe(400 + 1250);
    expect(backoffDelay(11, options, () => 0)).toBe(2500);
  });

  it('is total: finite, never negative, never above the ceiling, for any input', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -5, max: 5000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.double({ min: 1, max: 10, noNaN: true }),
        fc.double({ min: -1, max: 2, noNaN: true }),
        fc.constantFrom('step' as const, 'ceiling' as const),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, minDelayMs, extra, factor, jitter, jitterSpread, random) => {
          const maxDelayMs = minDelayMs + extra;
          const delay = backoffDelay(attempt, { minDelayMs, maxDelayMs, factor, jitter, jitterSpread }, () => random);
          expect(Number.isFinite(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(maxDelayMs);
        },
      ),
    );
  });
});

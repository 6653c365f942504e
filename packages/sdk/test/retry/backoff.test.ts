import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_RETRY_POLICY, parseRetryAfter } from '../../src/index.ts';

describe('backoffDelay (pure)', () => {
  const exact = { minDelayMs: 100, maxDelayMs: 1000, factor: 2, jitter: 0 };

  it('grows exponentially from minDelayMs and stops at maxDelayMs', () => {
    expect([1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(attempt, exact, () => 0.5))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('takes at most the jitter fraction off, driven by the random source', () => {
    const policy = { ...exact, jitter: 0.5 };
    expect(backoffDelay(2, policy, () => 0)).toBe(200);
    expect(backoffDelay(2, policy, () => 0.999999)).toBe(100);
  });

  it('stays within [(1 - jitter) × base, min(base, maxDelayMs)] for any input', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 40 }),
      fc.integer({ min: 0, max: 10_000 }),
      fc.integer({ min: 0, max: 100_000 }),
      fc.double({ min: 1, max: 5, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      (attempt, minDelayMs, maxDelayMs, factor, jitter, random) => {
        const base = Math.min(maxDelayMs, minDelayMs * factor ** (attempt - 1));
        const delay = backoffDelay(attempt, { minDelayMs, maxDelayMs, factor, jitter }, () => random);
        return delay <= Math.round(base) && delay >= Math.round(base * (1 - jitter)) - 1 && delay >= 0;
      },
    ));
  });

  it('has documented defaults', () => {
    expect(DEFAULT_RETRY_POLICY).toMatchObject({ retries: 3, minDelayMs: 200, maxDelayMs: 5000, factor: 2, jitter: 0.5, retryableStatuses: [408, 429, 500, 502, 503, 504] });
    expect(Object.isFrozen(DEFAULT_RETRY_POLICY)).toBe(true);
  });
});

describe('parseRetryAfter (pure)', () => {
  const now = Date.UTC(2025, 0, 1, 12, 0, 0);

  it('reads delay-seconds and HTTP-dates', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter(['5', '9'], now)).toBe(5000);
  });

  it('clamps past dates to zero and ignores malformed values', () => {
    expect(parseRetryAfter('Wed, 01 Jan 2025 11:00:00 GMT', now)).toBe(0);
    for (const value of [undefined, '', '-1', '1.5', 'soon', '2025-01-01T12:00:30Z']) expect(parseRetryAfter(value, now)).toBeUndefined();
  });

  it('never throws on arbitrary header text', () => {
    fc.assert(fc.property(fc.string(), (value) => {
      const parsed = parseRetryAfter(value, now);
      return parsed === undefined || (Number.isFinite(parsed) && parsed >= 0);
    }));
  });
});

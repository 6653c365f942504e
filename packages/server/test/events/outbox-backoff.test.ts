import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { outboxBackoffDelay } from '../../src/events/outbox-backoff.ts';

describe('outbox backoff', () => {
  it('is min(base·2^attempt, cap)/2 + random·cap/2', () => {
    expect(outboxBackoffDelay(0, { baseMs: 100, capMs: 5000 }, () => 0)).toBe(50);
    expect(outboxBackoffDelay(0, { baseMs: 100, capMs: 5000 }, () => 1)).toBe(2550);
    expect(outboxBackoffDelay(3, { baseMs: 100, capMs: 5000 }, () => 0.5)).toBe(400 + 1250);
    expect(outboxBackoffDelay(10, { baseMs: 100, capMs: 5000 }, () => 0)).toBe(2500);
  });

  it('never exceeds the 5 s cap and never goes below half the exponential step', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.double({ min: 0, max: 1, noNaN: true }), (attempt, random) => {
        const delay = outboxBackoffDelay(attempt, {}, () => random);
        expect(delay).toBeLessThanOrEqual(5000);
        expect(delay).toBeGreaterThanOrEqual(Math.min(100 * 2 ** Math.min(attempt, 30), 5000) / 2 - 0.5);
      }),
    );
  });
});

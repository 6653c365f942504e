import { describe, expect, it } from 'vitest';
import { TokenBucketLimiter } from '../../src/sts/http/token-bucket.ts';
import { testClock } from '../helpers/test-clock.ts';

describe('TokenBucketLimiter', () => {
  it('allows the burst, refuses the next with a Retry-After, refills with time', () => {
    const clock = testClock({ start: 0 });
    const limiter = new TokenBucketLimiter({ capacity: 3, refillMilliseconds: 3_000, now: clock.now });
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')].every((decision) => decision.allowed)).toBe(true);
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(limiter.take('b').allowed).toBe(true);
    clock.advance(1_000);
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
  });

  it('peek looks without taking', () => {
    const clock = testClock({ start: 0 });
    const limiter = new TokenBucketLimiter({ capacity: 1, refillMilliseconds: 60_000, now: clock.now });
    expect(limiter.peek('a').allowed).toBe(true);
    expect(limiter.peek('a').allowed).toBe(true);
    limiter.take('a');
    expect(limiter.peek('a')).toEqual({ allowed: false, retryAfterSeconds: 60 });
  });

  it('forgets the least recently used key when full (attacker-chosen keys cannot grow memory)', () => {
    const clock = testClock({ start: 0 });
    const limiter = new TokenBucketLimiter({ capacity: 1, refillMilliseconds: 60_000, now: clock.now, maxKeys: 2 });
    limiter.take('a');
    limiter.take('b');
    limiter.take('c');
    // 'a' was evicted, so it starts again with a full bucket; 'c' is still tracked.
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('c').allowed).toBe(false);
  });

  it('giveBack returns a reserved token, never beyond capacity', () => {
    const clock = testClock({ start: 0 });
    const limiter = new TokenBucketLimiter({ capacity: 2, refillMilliseconds: 60_000, now: clock.now });
    limiter.take('a');
    limiter.take('a');
    expect(limiter.take('a').allowed).toBe(false);
    limiter.giveBack('a');
    expect(limiter.take('a').allowed).toBe(true);
    limiter.giveBack('a');
    limiter.giveBack('a');
    limiter.giveBack('a');
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')].map((decision) => decision.allowed)).toEqual([true, true, false]);
    // An unknown key has nothing to give back (and is not created).
    limiter.giveBack('b');
    expect(limiter.peek('b').allowed).toBe(true);
  });
});

/** What one bucket says about a request. */
export interface BucketDecision {
  allowed: boolean;
  /** Seconds until one token is back (0 when allowed). */
  retryAfterSeconds: number;
}

export interface TokenBucketOptions {
  /** Tokens a full bucket holds (the burst). */
  capacity: number;
  /** How long an empty bucket takes to refill completely, milliseconds. */
  refillMilliseconds: number;
  /** Milliseconds since the epoch; injectable so tests control time. */
  now: () => number;
  /** Most keys tracked at once; the least recently used are forgotten first. */
  maxKeys?: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * A token bucket per key (IP address, client id), in memory. Keys are attacker-controlled, so the
 * map is bounded: a forgotten key simply starts again with a full bucket.
 */
export class TokenBucketLimiter {
  readonly #options: Required<TokenBucketOptions>;
  readonly #buckets = new Map<string, Bucket>();

  constructor(options: TokenBucketOptions) {
    this.#options = { maxKeys: 10_000, ...options };
  }

  /** Takes one token for `key` when there is one. */
  take(key: string): BucketDecision {
    const bucket = this.#refill(key);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, retryAfterSeconds: 0 };
    }
    return { allowed: false, retryAfterSeconds: this.#secondsUntilToken(bucket) };
  }

  /** Returns a token taken for `key` (a reservation that turned out not to count); never above capacity. */
  giveBack(key: string): void {
    const bucket = this.#buckets.get(key);
    if (bucket === undefined) return;
    const refilled = this.#refill(key);
    refilled.tokens = Math.min(this.#options.capacity, refilled.tokens + 1);
  }

  /** Looks without taking: is a token available for `key`? */
  peek(key: string): BucketDecision {
    const bucket = this.#buckets.get(key);
    if (bucket === undefined) return { allowed: true, retryAfterSeconds: 0 };
    const refilled = this.#refill(key);
    return refilled.tokens >= 1
      ? { allowed: true, retryAfterSeconds: 0 }
      : { allowed: false, retryAfterSeconds: this.#secondsUntilToken(refilled) };
  }

  #refill(key: string): Bucket {
    const now = this.#options.now();
    const { capacity, refillMilliseconds, maxKeys } = this.#options;
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      bucket = { tokens: capacity, updatedAt: now };
      if (this.#buckets.size >= maxKeys) {
        const oldest = this.#buckets.keys().next();
        if (oldest.done !== true) this.#buckets.delete(oldest.value);
      }
    } else {
      const elapsed = Math.max(0, now - bucket.updatedAt);
      bucket.tokens = Math.min(capacity, bucket.tokens + (elapsed * capacity) / refillMilliseconds);
      bucket.updatedAt = now;
      // Re-inserting keeps Map order = least recently used first.
      this.#buckets.delete(key);
    }
    this.#buckets.set(key, bucket);
    return bucket;
  }

  #secondsUntilToken(bucket: Bucket): number {
    const perToken = this.#options.refillMilliseconds / this.#options.capacity;
    return Math.max(1, Math.ceil(((1 - bucket.tokens) * perToken) / 1000));
  }
}

import { createHmac, randomBytes } from 'node:crypto';

export interface SecretVerificationCacheOptions {
  /** How long a successful verification is remembered, milliseconds. Default 60 s. */
  ttlMilliseconds?: number;
  /** Most entries kept; the oldest go first. Default 10,000. */
  maxEntries?: number;
  now: () => number;
}

/**
 * Remembers successful secret verifications for a short time, so the token endpoint's throughput
 * is not bounded by scrypt (tens of milliseconds per check).
 *
 * The trade-off: the entry key is an HMAC (with a per-process random key) of the stored hash and
 * the presented secret, so a memory dump exposes a fast hash of recently used secrets instead of
 * only the slow scrypt one. Secrets we generate are 256-bit random and unaffected; weak secrets
 * declared in a bootstrap file become cheaper to brute-force from such a dump. Because the stored
 * hash is part of the key, a rotated secret misses the cache at once, on every replica. Failures
 * are never cached (they go to the per-client failure limit instead).
 */
export class SecretVerificationCache {
  readonly #processKey = randomBytes(32);
  readonly #entries = new Map<string, number>();
  readonly #ttl: number;
  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor(options: SecretVerificationCacheOptions) {
    this.#ttl = options.ttlMilliseconds ?? 60_000;
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#now = options.now;
  }

  #key(storedHash: string, secret: string): string {
    return createHmac('sha256', this.#processKey).update(storedHash).update('\0').update(secret).digest('base64url');
  }

  /** True when this secret verified against this stored hash within the TTL. */
  has(storedHash: string, secret: string): boolean {
    const key = this.#key(storedHash, secret);
    const expiresAt = this.#entries.get(key);
    if (expiresAt === undefined) return false;
    if (expiresAt <= this.#now()) {
      this.#entries.delete(key);
      return false;
    }
    return true;
  }

  /** Records a successful verification. */
  remember(storedHash: string, secret: string): void {
    const key = this.#key(storedHash, secret);
    this.#entries.delete(key);
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, this.#now() + this.#ttl);
  }
}

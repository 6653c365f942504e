/** @internal */
export interface ReplayCacheOptions {
  /** Most ids held at once (see {@link ReplayCache} for what happens past it). */
  readonly maxEntries: number;
  readonly now: () => number;
}

/**
 * Remembers the ids of one-shot mandates until they expire, so a second presentation is refused.
 * An id only needs keeping until its token's `exp`: after that the token is refused as expired
 * anyway. Expired ids are swept at most once a second, in one pass. When the cache is full even
 * after a sweep, the oldest id is dropped — with per-call mandates living at most 15 minutes, the
 * bound only bites past `maxEntries` accepted calls in that window, so size it for your peak rate.
 * @internal
 */
export class ReplayCache {
  readonly #options: ReplayCacheOptions;
  /** id → expiry in ms; Map order is insertion order, so the first key is the oldest. */
  readonly #expiries = new Map<string, number>();
  #sweptAt = Number.NEGATIVE_INFINITY;

  constructor(options: ReplayCacheOptions) {
    this.#options = options;
  }

  get size(): number {
    return this.#expiries.size;
  }

  /**
   * Records `id` as used until `expiresAtMs` and returns true, or returns false when it was
   * already used and has not expired. Synchronous, so two concurrent presentations of the same
   * token cannot both pass.
   */
  claim(id: string, expiresAtMs: number): boolean {
    const now = this.#options.now();
    const known = this.#expiries.get(id);
    if (known !== undefined && known > now) return false;
    this.#sweep(now);
    if (this.#expiries.size >= this.#options.maxEntries) {
      const oldest = this.#expiries.keys().next();
      if (oldest.done !== true) this.#expiries.delete(oldest.value);
    }
    this.#expiries.set(id, expiresAtMs);
    return true;
  }

  #sweep(now: number): void {
    if (now - this.#sweptAt < 1000) return;
    this.#sweptAt = now;
    for (const [id, expiresAt] of this.#expiries) if (expiresAt <= now) this.#expiries.delete(id);
  }
}

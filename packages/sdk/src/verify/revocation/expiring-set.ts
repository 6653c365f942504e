/**
 * A set of ids that each expire a fixed time after they were added, bounded in size. Entries are
 * kept in insertion order, which is (nearly) expiry order, so sweeping only ever looks at the
 * front; an entry found expired on lookup is dropped there too.
 * @internal
 */
export class ExpiringSet {
  readonly #maxEntries: number;
  readonly #expiries = new Map<string, number>();

  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries;
  }

  get size(): number {
    return this.#expiries.size;
  }

  /** Adds `id` until `expiresAt`; re-adding moves it to the back with the later expiry. */
  add(id: string, expiresAt: number, now: number): void {
    this.sweep(now);
    const known = this.#expiries.get(id);
    if (known !== undefined && known >= expiresAt) return;
    this.#expiries.delete(id);
    // Full: drop the oldest entry, the one closest to expiring anyway.
    if (this.#expiries.size >= this.#maxEntries) {
      const oldest = this.#expiries.keys().next();
      if (oldest.done !== true) this.#expiries.delete(oldest.value);
    }
    this.#expiries.set(id, expiresAt);
  }

  has(id: string, now: number): boolean {
    const expiresAt = this.#expiries.get(id);
    if (expiresAt === undefined) return false;
    if (expiresAt > now) return true;
    this.#expiries.delete(id);
    return false;
  }

  /** Drops expired entries from the front. */
  sweep(now: number): void {
    for (const [id, expiresAt] of this.#expiries) {
      if (expiresAt > now) return;
      this.#expiries.delete(id);
    }
  }
}

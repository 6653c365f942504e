import type { MandateClaims } from '@caracal/protocol';

/** A mandate whose signature already verified, and the key that verified it. */
export interface VerifiedMandate {
  claims: MandateClaims;
  kid: string;
}

/**
 * Remembers mandates whose ES256 signature verified, keyed by the token itself, so the same
 * session mandate presented on every exchange (or every Coordinator call) costs one signature
 * check per minute instead of one per request. Only the signature is remembered: a hit still
 * re-checks the key's validity window, issuer, audience, use and time on every call. Bounded, and
 * filled only with tokens that verified, so nobody can fill it with garbage.
 */
export class VerifiedMandateCache {
  readonly #entries = new Map<string, { mandate: VerifiedMandate; until: number }>();
  readonly #maxEntries: number;
  readonly #ttl: number;

  constructor(options: { maxEntries?: number; ttlMilliseconds?: number } = {}) {
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#ttl = options.ttlMilliseconds ?? 60_000;
  }

  get(token: string, now: number): VerifiedMandate | undefined {
    const entry = this.#entries.get(token);
    if (entry === undefined) return undefined;
    if (now >= entry.until) {
      this.#entries.delete(token);
      return undefined;
    }
    return entry.mandate;
  }

  set(token: string, mandate: VerifiedMandate, now: number): void {
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
    this.#entries.set(token, { mandate, until: Math.min(now + this.#ttl, mandate.claims.exp * 1000) });
  }
}

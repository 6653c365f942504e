import { createLocalJWKSet, errors as joseErrors, type CryptoKey, type JSONWebKeySet, type JWSHeaderParameters } from 'jose';
import { CaracalError } from '../../errors.ts';
import type { VerifierFetch } from './verifier-fetch.ts';
import { refuseMandate } from './mandate-refusal.ts';

/** @internal */
export interface JwksCacheOptions {
  readonly url: string;
  readonly fetch: VerifierFetch;
  readonly now: () => number;
  /** After this long the keys are refetched in the background; requests keep using the old set meanwhile. */
  readonly ttlMs: number;
  /** An unknown `kid` refetches at most once per this interval, so junk tokens cannot hammer the STS. */
  readonly cooldownMs: number;
  readonly timeoutMs: number;
}

type LocalKeySet = ReturnType<typeof createLocalJWKSet>;

/**
 * The zone's JWKS, fetched once and kept off the hot path: verification reads a local key set
 * (jose `createLocalJWKSet`); only the very first call waits for a fetch. The set is refreshed in
 * the background once it is older than the TTL, and at once (awaited, with a cooldown) when a
 * token names a `kid` the set does not have — which is how a key rotation reaches us.
 * @internal
 */
export class JwksCache {
  readonly #options: JwksCacheOptions;
  readonly #abort = new AbortController();
  #keySet: LocalKeySet | undefined;
  #fetchedAt = Number.NEGATIVE_INFINITY;
  #attemptedAt = Number.NEGATIVE_INFINITY;
  #inFlight: Promise<LocalKeySet> | undefined;

  constructor(options: JwksCacheOptions) {
    this.#options = options;
  }

  /** The verification key for a token's protected header; `unknown_key` when no zone key matches. */
  async keyFor(header: JWSHeaderParameters): Promise<CryptoKey> {
    const keySet = this.#keySet ?? (await this.#refresh());
    if (this.#options.now() - this.#fetchedAt >= this.#options.ttlMs) this.#refreshInBackground();
    try {
      return await keySet(header);
    } catch (error) {
      if (!(error instanceof joseErrors.JWKSNoMatchingKey) || this.#options.now() - this.#attemptedAt < this.#options.cooldownMs) {
        throw unknownKey(header, error);
      }
    }
    const refreshed = await this.#refresh();
    try {
      return await refreshed(header);
    } catch (error) {
      throw unknownKey(header, error);
    }
  }

  /** Fetches now unless a fetch is already running; resolves to the new key set. */
  #refresh(): Promise<LocalKeySet> {
    this.#inFlight ??= this.#fetchKeySet().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  #refreshInBackground(): void {
    // A failed background refresh keeps the keys we have; the next stale read tries again.
    this.#refresh().catch(() => undefined);
  }

  async #fetchKeySet(): Promise<LocalKeySet> {
    this.#attemptedAt = this.#options.now();
    const signal = AbortSignal.any([this.#abort.signal, AbortSignal.timeout(this.#options.timeoutMs)]);
    let body: unknown;
    try {
      const response = await this.#options.fetch(this.#options.url, { method: 'GET', headers: { accept: 'application/json' }, signal });
      if (!response.ok) {
        throw new CaracalError('INVALID_RESPONSE', `The zone JWKS at ${this.#options.url} answered HTTP ${response.status}.`, { status: response.status });
      }
      body = await response.json();
    } catch (error) {
      if (error instanceof CaracalError) throw error;
      throw new CaracalError('NETWORK_ERROR', `Could not fetch the zone JWKS from ${this.#options.url}.`, { cause: error });
    }
    let keySet: LocalKeySet;
    try {
      keySet = createLocalJWKSet(body as JSONWebKeySet);
    } catch (error) {
      throw new CaracalError('INVALID_RESPONSE', `The zone JWKS at ${this.#options.url} is not a JSON Web Key Set.`, { cause: error });
    }
    this.#keySet = keySet;
    this.#fetchedAt = this.#options.now();
    return keySet;
  }

  close(): void {
    this.#abort.abort();
  }
}

function unknownKey(header: JWSHeaderParameters, cause: unknown): Error {
  if (cause instanceof joseErrors.JWKSMultipleMatchingKeys) {
    return refuseMandate('unknown_key', 'Several zone keys match the mandate header; the mandate must name its key with "kid".', cause);
  }
  if (cause instanceof joseErrors.JWKSNoMatchingKey) {
    return refuseMandate('unknown_key', `No zone key has kid "${String(header.kid)}".`, cause);
  }
  return cause instanceof Error ? cause : refuseMandate('unknown_key', 'The mandate key could not be resolved.', cause);
}

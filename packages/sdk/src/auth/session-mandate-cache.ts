import { CaracalError } from '../errors.ts';
import type { Clock } from '../time/clock.ts';
import type { ExchangedMandate } from './exchanged-mandate.ts';

/** Used when the STS does not state a lifetime: short, so an unknown expiry is re-asked soon. */
const ASSUMED_LIFETIME_SECONDS = 60;
const MAX_REFRESH_LEAD_MS = 30_000;

interface CachedMandate {
  readonly token: string;
  readonly refreshAt: number;
  readonly expiresAt: number;
}

/**
 * How long before expiry to refresh: 20 % of the lifetime, but at least 30 s for long-lived
 * mandates (never more than half of a short one), so a token is never presented in its last
 * seconds.
 * @internal
 */
export function refreshLeadMs(lifetimeMs: number): number {
  return Math.max(lifetimeMs * 0.2, Math.min(MAX_REFRESH_LEAD_MS, lifetimeMs * 0.5));
}

function raceSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  const aborted = (): CaracalError => new CaracalError('REQUEST_ABORTED', 'Waiting for the session mandate was aborted.', { cause: signal.reason });
  if (signal.aborted) return Promise.reject(aborted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Holds the client's session mandate and refreshes it before it expires. Concurrent callers
 * share one in-flight request; a caller's AbortSignal only stops its own wait, never the shared
 * request others are waiting on. A failed refresh falls back to the old mandate while it is
 * still valid.
 * @internal
 */
export class SessionMandateCache {
  readonly #fetch: () => Promise<ExchangedMandate>;
  readonly #clock: Clock;
  #cached: CachedMandate | undefined;
  #inflight: Promise<CachedMandate> | undefined;

  constructor(options: { fetch: () => Promise<ExchangedMandate>; clock: Clock }) {
    this.#fetch = options.fetch;
    this.#clock = options.clock;
  }

  async token(signal?: AbortSignal): Promise<string> {
    const cached = this.#cached;
    const now = this.#clock.now();
    if (cached !== undefined && now < cached.refreshAt) return cached.token;
    try {
      return (await raceSignal(this.#refresh(), signal)).token;
    } catch (error) {
      const stillValid = cached !== undefined && this.#clock.now() < cached.expiresAt;
      if (stillValid && !(signal?.aborted ?? false)) return cached.token;
      throw error;
    }
  }

  /**
   * The mandate in hand while it is valid, without waiting; past its refresh time a refresh starts
   * in the background (its failure is left to the next `token()` call to report).
   */
  current(): string | undefined {
    const cached = this.#cached;
    const now = this.#clock.now();
    if (cached === undefined || now >= cached.expiresAt) return undefined;
    if (now >= cached.refreshAt) this.#refresh().catch(() => undefined);
    return cached.token;
  }

  /**
   * Forgets `refusedToken` when it is the one in hand, so the next `token()` mints a new mandate
   * (a refusal of an older one is already answered by the newer). Always true: a client secret
   * can always ask again.
   */
  invalidate(refusedToken: string): boolean {
    if (this.#cached?.token === refusedToken) this.#cached = undefined;
    return true;
  }

  #refresh(): Promise<CachedMandate> {
    this.#inflight ??= this.#load().finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  async #load(): Promise<CachedMandate> {
    const issuedAt = this.#clock.now();
    const mandate = await this.#fetch();
    const lifetimeMs = (mandate.expiresIn ?? ASSUMED_LIFETIME_SECONDS) * 1000;
    const cached = { token: mandate.accessToken, expiresAt: issuedAt + lifetimeMs, refreshAt: issuedAt + lifetimeMs - refreshLeadMs(lifetimeMs) };
    this.#cached = cached;
    return cached;
  }
}

import { TokenBucketLimiter, type BucketDecision } from '../http/token-bucket.ts';

export interface GuessThrottleOptions {
  /** Milliseconds since the epoch; injectable so tests control time. */
  now: () => number;
  /** Secret checks per minute from one source address, across client ids. Default 10. */
  perAddress?: number;
  /** Secret checks per minute on one client id from addresses it has not proved its secret from. Default 30. */
  perClient?: number;
  /** Secret checks per minute on one client id from one address that proved its secret. Default 10. */
  perProvenAddress?: number;
  /** How long an address stays proven after its last success. Default 24 h. */
  provenForMilliseconds?: number;
}

/** What the throttle says about one secret check about to run. */
export type GuessReservation =
  | { allowed: true; settle(correct: boolean): void }
  | { allowed: false; retryAfterSeconds: number; reason: 'address' | 'client' | 'proven_address' };

const MINUTE = 60_000;
const MAX_PROVEN = 10_000;

/**
 * Bounds how many client secrets are checked, without letting a stranger lock an application out.
 *
 * Every check reserves its allowance before scrypt runs, in the same synchronous step that looks
 * at it, so a parallel burst cannot check more secrets than the allowance (reserving only after a
 * failure let 120 parallel guesses through). A right secret gives its reservation back, so only
 * failures consume the allowance. Three allowances:
 * - per source address (across client ids): one address cannot guess fast;
 * - per client id, from addresses that have not proved its secret: many addresses cannot either;
 * - per client id and proven address, instead of the two above: an address that authenticated as
 *   the client within the last 24 h keeps its own allowance, so failures sent from anywhere else
 *   never block the application from refreshing its mandate.
 * All of it is in memory, per process, and bounded (attacker-chosen keys cannot grow memory).
 */
export class GuessThrottle {
  readonly #now: () => number;
  readonly #provenFor: number;
  readonly #byAddress: TokenBucketLimiter;
  readonly #byClient: TokenBucketLimiter;
  readonly #byProvenAddress: TokenBucketLimiter;
  /** `client id \n address` → when the proof lapses; Map order = least recently proven first. */
  readonly #proven = new Map<string, number>();

  constructor(options: GuessThrottleOptions) {
    this.#now = options.now;
    this.#provenFor = options.provenForMilliseconds ?? 24 * 3_600_000;
    const bucket = (capacity: number) => new TokenBucketLimiter({ capacity, refillMilliseconds: MINUTE, now: options.now });
    this.#byAddress = bucket(options.perAddress ?? 10);
    this.#byClient = bucket(options.perClient ?? 30);
    this.#byProvenAddress = bucket(options.perProvenAddress ?? 10);
  }

  /** Reserves one secret check of `clientId` from `address`; settle it with the check's outcome. */
  reserve(clientId: string, address: string): GuessReservation {
    const pair = `${clientId}\n${address}`;
    if (this.#isProven(pair)) {
      const decision = this.#byProvenAddress.take(pair);
      if (!decision.allowed) return refused(decision, 'proven_address');
      return this.#reservation(pair, () => this.#byProvenAddress.giveBack(pair));
    }
    const fromAddress = this.#byAddress.take(address);
    if (!fromAddress.allowed) return refused(fromAddress, 'address');
    const onClient = this.#byClient.take(clientId);
    if (!onClient.allowed) {
      this.#byAddress.giveBack(address);
      return refused(onClient, 'client');
    }
    return this.#reservation(pair, () => {
      this.#byAddress.giveBack(address);
      this.#byClient.giveBack(clientId);
    });
  }

  /** Records that `address` proved the secret of `clientId` without a check (a cached verification). */
  prove(clientId: string, address: string): void {
    this.#markProven(`${clientId}\n${address}`);
  }

  #reservation(pair: string, giveBack: () => void): GuessReservation {
    let settled = false;
    return {
      allowed: true,
      settle: (correct) => {
        if (settled) return;
        settled = true;
        if (!correct) return;
        giveBack();
        this.#markProven(pair);
      },
    };
  }

  #isProven(pair: string): boolean {
    const until = this.#proven.get(pair);
    if (until === undefined) return false;
    if (until > this.#now()) return true;
    this.#proven.delete(pair);
    return false;
  }

  #markProven(pair: string): void {
    this.#proven.delete(pair);
    if (this.#proven.size >= MAX_PROVEN) {
      const oldest = this.#proven.keys().next();
      if (oldest.done !== true) this.#proven.delete(oldest.value);
    }
    this.#proven.set(pair, this.#now() + this.#provenFor);
  }
}

function refused(decision: BucketDecision, reason: 'address' | 'client' | 'proven_address'): GuessReservation {
  return { allowed: false, retryAfterSeconds: decision.retryAfterSeconds, reason };
}

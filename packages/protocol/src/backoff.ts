/**
 * The one backoff curve of every retry loop in Caracal: the SDK's call retries and revocation
 * sources, and the server's outbox, LISTEN reconnects and Redis reconnects. Each caller keeps its
 * own numbers; the formula lives here. Free of schema code, so the SDK can bundle it.
 */

/** How the random share of a delay is drawn. */
export type BackoffJitterSpread =
  /** `step × (1 − jitter × random)`: the delay lands in `[(1 − jitter) × step, step]`. */
  | 'step'
  /**
   * `step × (1 − jitter) + random × jitter × maxDelayMs`: the guaranteed part follows the curve,
   * the random part spans the ceiling, so a crowd retrying after one outage spreads out even at
   * its first retries. Never above `maxDelayMs`.
   */
  | 'ceiling';

export interface BackoffOptions {
  /** Delay before the first retry (before jitter). */
  readonly minDelayMs: number;
  /** Ceiling of the exponential step. */
  readonly maxDelayMs: number;
  /** Growth of the step per retry. @default 2 */
  readonly factor?: number;
  /** Share of each delay drawn at random, clamped to 0–1. @default 0 */
  readonly jitter?: number;
  /** @default 'step' */
  readonly jitterSpread?: BackoffJitterSpread;
}

/**
 * The wait before retry number `attempt` (1 = the first retry; lower counts as 1): the step grows
 * from `minDelayMs` by `factor` per retry up to `maxDelayMs`, then jitter is applied. Pure and
 * total: time and randomness come from the caller.
 * @param random - a number in [0, 1); `Math.random` in production.
 * @example
 * backoffDelay(3, { minDelayMs: 100, maxDelayMs: 5000 }, Math.random); // 400
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number): number {
  const { minDelayMs, maxDelayMs } = options;
  const exponent = Math.max(0, attempt - 1);
  // A zero minimum stays zero (0 × ∞ would be NaN once the growth overflows).
  const step = minDelayMs === 0 ? 0 : Math.min(maxDelayMs, minDelayMs * (options.factor ?? 2) ** exponent);
  const jitter = Math.min(1, Math.max(0, options.jitter ?? 0));
  if (jitter === 0) return Math.round(step);
  if (options.jitterSpread === 'ceiling') return Math.round(step * (1 - jitter) + random() * jitter * maxDelayMs);
  return Math.round(step * (1 - jitter * random()));
}

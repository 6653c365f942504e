import type { RetryPolicy } from './retry-policy.ts';

/**
 * The wait before retry number `attempt` (1 = the first retry): exponential growth from
 * `minDelayMs` by `factor`, capped at `maxDelayMs`, with `jitter` taken off by `random`.
 * Pure, so it is tested without time.
 * @param random - a number in [0, 1); `Math.random` in production.
 * @example
 * backoffDelay(3, { minDelayMs: 100, maxDelayMs: 5000, factor: 2, jitter: 0 }, Math.random); // 400
 * @since 0.1.0
 */
export function backoffDelay(
  attempt: number,
  policy: Pick<RetryPolicy, 'minDelayMs' | 'maxDelayMs' | 'factor' | 'jitter'>,
  random: () => number,
): number {
  const exponent = Math.max(0, attempt - 1);
  const base = Math.min(policy.maxDelayMs, policy.minDelayMs * policy.factor ** exponent);
  const jitter = Math.min(1, Math.max(0, policy.jitter));
  return Math.round(base * (1 - jitter * random()));
}

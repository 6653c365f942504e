import { backoffDelay as curveDelay } from '@caracal/protocol';
import type { RetryPolicy } from './retry-policy.ts';

/**
 * The wait before retry number `attempt` (1 = the first retry): exponential growth from
 * `minDelayMs` by `factor`, capped at `maxDelayMs`, with `jitter` taken off by `random`.
 * Pure, so it is tested without time. The same curve paces every retry loop in Caracal.
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
  return curveDelay(attempt, policy, random);
}

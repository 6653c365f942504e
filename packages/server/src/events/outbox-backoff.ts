import { backoffDelay } from '@caracal/protocol';

export interface OutboxBackoffOptions {
  /** First step of the exponential curve. @default 100 */
  baseMs?: number;
  /** Ceiling of every delay. @default 5000 */
  capMs?: number;
}

/**
 * Delay before an outbox row that failed `attempt` times (0-based count of earlier failures)
 * is tried again: `min(base × 2^attempt, cap) / 2 + random × cap / 2`. Half the exponential step
 * is guaranteed and the rest is jitter over the whole ceiling, so replicas and rows retrying after
 * one outage spread out. The result never exceeds `cap`. Pure: `random` is injected.
 */
export function outboxBackoffDelay(attempt: number, options: OutboxBackoffOptions = {}, random: () => number = Math.random): number {
  return backoffDelay(
    attempt + 1,
    { minDelayMs: options.baseMs ?? 100, maxDelayMs: options.capMs ?? 5000, jitter: 0.5, jitterSpread: 'ceiling' },
    random,
  );
}

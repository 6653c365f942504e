export interface OutboxBackoffOptions {
  /** First step of the exponential curve. @default 100 */
  baseMs?: number;
  /** Ceiling of every delay. @default 5000 */
  capMs?: number;
}

/**
 * Delay before an outbox row that failed `attempt` times (0-based count of earlier failures)
 * is tried again — seed 003's formula, `min(base × 2^attempt, cap) / 2 + random × cap / 2`:
 * half the exponential step is guaranteed, the rest is jitter, so replicas and rows retrying
 * after one outage spread out. The result never exceeds `cap`. Pure: `random` is injected.
 */
export function outboxBackoffDelay(attempt: number, options: OutboxBackoffOptions = {}, random: () => number = Math.random): number {
  const base = options.baseMs ?? 100;
  const cap = options.capMs ?? 5000;
  const exponential = Math.min(base * 2 ** Math.min(Math.max(attempt, 0), 30), cap);
  return Math.round(exponential / 2 + random() * (cap / 2));
}

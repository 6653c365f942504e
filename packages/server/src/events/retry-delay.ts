/**
 * Delay before the next reconnect or resubscribe attempt: doubling from `baseMs`, capped at
 * `capMs`, with up to 20 % jitter so replicas do not reconnect in lockstep.
 */
export function reconnectDelay(attempt: number, options: { baseMs?: number; capMs?: number; random?: () => number } = {}): number {
  const base = options.baseMs ?? 50;
  const cap = options.capMs ?? 1000;
  const random = options.random ?? Math.random;
  const exponential = Math.min(base * 2 ** Math.min(attempt, 20), cap);
  return Math.round(exponential * (0.8 + 0.2 * random()));
}

import { createConnection } from 'node:net';
import { performance } from 'node:perf_hooks';

/** Whether a TCP service answers at `url` (a backend a bench needs; unreachable: the bench prints SKIP). */
export async function reachable(url: string, defaultPort: number): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || defaultPort) });
    socket.setTimeout(1000, () => socket.destroy());
    socket.on('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
    socket.on('close', () => resolve(false));
  });
}

/** The value at `fraction` of an ascending list (NaN when empty). */
export function percentile(sorted: ArrayLike<number>, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
}

/** A figure for a table: fixed digits, `n/a` when not a number. */
export const figure = (value: number, digits = 1): string => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

/**
 * Writes `total` events at `rate` per second, each on its own schedule slot, at most `maxInFlight`
 * at once (well under the server's pool, as request handlers would be, so the publisher is never
 * starved of a connection). Returns the rate reached: on a busy machine the writers may fall
 * short of the target, and the figures then hold for the rate reached.
 */
export async function pacedWrites(
  options: { total: number; rate: number; maxInFlight: number },
  write: (sequence: number) => Promise<void>,
): Promise<number> {
  let inFlight = 0;
  const writes: Array<Promise<void>> = [];
  const start = performance.now();
  for (let sequence = 0; sequence < options.total; sequence += 1) {
    const wait = start + (sequence * 1000) / options.rate - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    while (inFlight >= options.maxInFlight) await new Promise((resolve) => setImmediate(resolve));
    inFlight += 1;
    writes.push(
      write(sequence).finally(() => {
        inFlight -= 1;
      }),
    );
  }
  await Promise.all(writes);
  return options.total / ((performance.now() - start) / 1000);
}

import { backoffDelay, isPresentStreamEntry, readStreamEntries, readStreamReply } from '@caracal/protocol';
import type { RedisClientType } from 'redis';
import { createCancellableDelay } from './cancellable-delay.ts';
import type { BusEntry } from './event-bus.ts';

export interface RedisStreamSubscriptionOptions {
  /** A dedicated, already connecting connection: a blocking XREAD holds it for up to `blockMs`. */
  reader: RedisClientType;
  key: string;
  /** Last id already seen; `$` means "whatever is newest when the loop first reaches Redis". */
  afterId: string;
  onEntry: (entry: BusEntry) => void;
  blockMs: number;
  batchSize: number;
  onError?: (error: unknown) => void;
}

/**
 * One blocking XREAD loop on its own connection. The position advances only past entries it has
 * handed over, and `$` is pinned to a concrete id at the first successful round, so a lost
 * connection or a Redis restart resumes exactly where it stopped instead of skipping entries.
 */
export function startRedisStreamSubscription(options: RedisStreamSubscriptionOptions): {
  /** Resolves once the start position is a concrete id (or the first attempt failed). */
  positioned: Promise<void>;
  stop(): Promise<void>;
} {
  const { reader, key } = options;
  let position = options.afterId;
  let stopped = false;
  let failures = 0;
  const pause = createCancellableDelay();
  let markPositioned: () => void = () => {};
  const positioned = new Promise<void>((resolve) => {
    markPositioned = resolve;
  });

  const pinPosition = async (): Promise<void> => {
    if (position !== '$') return;
    const newest = readStreamEntries(await reader.sendCommand(['XREVRANGE', key, '+', '-', 'COUNT', '1']));
    position = newest[0]?.id ?? '0-0';
  };

  const loop = async (): Promise<void> => {
    while (!stopped) {
      try {
        await pinPosition();
        markPositioned();
        const reply = await reader.sendCommand([
          'XREAD', 'COUNT', String(options.batchSize), 'BLOCK', String(options.blockMs), 'STREAMS', key, position,
        ]);
        failures = 0;
        for (const entry of readStreamReply(reply, key).filter(isPresentStreamEntry)) {
          if (stopped) return;
          position = entry.id;
          try {
            options.onEntry(entry);
          } catch (error) {
            options.onError?.(error);
          }
        }
      } catch (error) {
        // Redis down or restarting: the first failure still lets `subscribe` resolve.
        markPositioned();
        if (stopped) return;
        options.onError?.(error);
        failures += 1;
        // 20 % jitter so the subscriptions of replicas that lost Redis together spread out.
        await pause.wait(backoffDelay(failures + 1, { minDelayMs: 50, maxDelayMs: 1000, jitter: 0.2 }, Math.random));
      }
    }
  };

  const running = loop();
  return {
    positioned,
    async stop() {
      stopped = true;
      pause.cancel();
      // Destroying the connection ends a pending blocking XREAD at once.
      reader.destroy();
      await running;
    },
  };
}

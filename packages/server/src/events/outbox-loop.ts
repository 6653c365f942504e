import type { CancellableDelay } from './cancellable-delay.ts';
import type { BatchResult } from './outbox-batch.ts';

export interface OutboxLoopSettings {
  publishBatch(): Promise<BatchResult>;
  /** The loop's own wait: the poll interval, cut short by a wake-up or stop. */
  idle: CancellableDelay;
  isRunning(): boolean;
  batchSize: number;
  pollIntervalMs: number;
  /** Told after every batch whether the bus was unreachable. */
  setBusDown(down: boolean): void;
  /** Resolves once the bus answers again (or the publisher stops). */
  waitForBus(idle: CancellableDelay): Promise<void>;
  onError(error: unknown): void;
}

/**
 * One publishing loop: batches back to back while rows remain, then waits for a wake-up (the
 * commit NOTIFY) or the poll interval. While the bus is down it stops claiming, which would
 * spend the rows' attempts, and only probes the bus.
 */
export async function runOutboxLoop(settings: OutboxLoopSettings): Promise<void> {
  while (settings.isRunning()) {
    try {
      const result = await settings.publishBatch();
      settings.setBusDown(result.busUnavailable);
      if (result.busUnavailable) {
        await settings.waitForBus(settings.idle);
        continue;
      }
      // A full batch means more may be waiting: go again at once (keeps up under load).
      if (result.claimed === settings.batchSize) continue;
    } catch (error) {
      // The database is unreachable or the transaction failed: retry on the next poll.
      settings.onError(error);
    }
    if (settings.isRunning()) await settings.idle.wait(settings.pollIntervalMs);
  }
}

import type { CancellableDelay } from './cancellable-delay.ts';
import type { EventBus } from './event-bus.ts';

export interface OutboxBusProbeSettings {
  bus: Pick<EventBus, 'ping'>;
  isRunning(): boolean;
  /** Wait before probe number `probe` (0-based). */
  delay(probe: number): number;
  onUnavailable(error: unknown): void;
}

/** Pings the bus with backoff until it answers or the publisher stops; claims nothing meanwhile. */
export async function waitForOutboxBus(settings: OutboxBusProbeSettings, idle: CancellableDelay): Promise<void> {
  for (let probe = 0; settings.isRunning(); probe += 1) {
    await idle.wait(settings.delay(probe));
    if (!settings.isRunning()) return;
    try {
      await settings.bus.ping();
      return;
    } catch (error) {
      settings.onUnavailable(error);
    }
  }
}

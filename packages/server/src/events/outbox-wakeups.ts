import type { Database } from '../db/database.ts';
import type { CancellableDelay } from './cancellable-delay.ts';
import type { OutboxPublisherObserver } from './outbox-publisher-observer.ts';
import { OUTBOX_CHANNEL } from './topics.ts';

export interface OutboxWakeupSettings {
  database: Pick<Database, 'listen'>;
  /** Wakes the publishing loops (a commit NOTIFY, or a catch-up after missed ones). */
  wake(): void;
  isRunning(): boolean;
  /** The wait between LISTEN attempts; cancelled by stop. */
  retryDelay: CancellableDelay;
  /** Wait before retry number `attempt` (0-based). */
  delay(attempt: number): number;
  observer: OutboxPublisherObserver;
}

export interface OutboxWakeups {
  /** Resolves once the retry loop (if any) has ended. */
  readonly settled: Promise<void>;
  /** Ends LISTEN (and any retry). */
  stop(): Promise<void>;
}

/**
 * LISTEN for enqueue commits. While an established LISTEN connection is down the poll keeps
 * publishing (slower); once it is back, one wake catches up on the NOTIFYs lost in between. If
 * LISTEN cannot be set up at start, it is retried with backoff, the poll publishing meanwhile.
 */
export async function startOutboxWakeups(settings: OutboxWakeupSettings): Promise<OutboxWakeups> {
  const { observer } = settings;
  let unlisten: (() => Promise<void>) | undefined;

  const listenOnce = async (): Promise<boolean> => {
    try {
      const subscription = await settings.database.listen(OUTBOX_CHANNEL, settings.wake, {
        onInterrupted: (error) => observer.listenInterrupted?.(error),
        onRestored: () => {
          settings.wake();
          observer.listenRestored?.();
        },
      });
      if (settings.isRunning()) unlisten = subscription;
      else await subscription().catch(() => {});
      return true;
    } catch (error) {
      observer.loopError?.(error);
      return false;
    }
  };

  const retry = async (): Promise<void> => {
    for (let attempt = 0; settings.isRunning(); attempt += 1) {
      await settings.retryDelay.wait(settings.delay(attempt));
      if (settings.isRunning() && (await listenOnce())) {
        // Commits made before LISTEN was in place sent NOTIFYs nobody heard.
        settings.wake();
        observer.listenRestored?.();
        return;
      }
    }
  };

  let settled = Promise.resolve();
  if (!(await listenOnce())) {
    observer.listenInterrupted?.(new Error('LISTEN could not be set up; publishing by polling until it is'));
    settled = retry();
  }
  return {
    settled,
    async stop() {
      settings.retryDelay.cancel();
      await settled;
      await unlisten?.().catch(() => {});
      unlisten = undefined;
    },
  };
}

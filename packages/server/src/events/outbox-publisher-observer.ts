import type { OutboxRow } from './outbox-store.ts';

/** Hooks for metrics and logs; the publisher itself stays free of both. */
export interface OutboxPublisherObserver {
  published?(topic: string, count: number): void;
  failed?(row: OutboxRow, error: unknown, dead: boolean): void;
  busUnavailable?(error: unknown): void;
  loopError?(error: unknown): void;
  /** The LISTEN connection was lost: until `listenRestored`, only the poll finds new rows. */
  listenInterrupted?(error: unknown): void;
  /** LISTEN is back (the publisher has already been woken to catch up on commits it missed). */
  listenRestored?(): void;
}

/**
 * Where published events go: Redis Streams when `REDIS_URL` is set, an in-process bus otherwise.
 * Both carry the same flat string fields, so receivers never care which one they read.
 */
export interface BusEntry {
  /** The stream position, e.g. `1731000000000-0`; strictly increasing within a topic. */
  id: string;
  fields: Readonly<Record<string, string>>;
}

export interface EventBus {
  readonly kind: 'memory' | 'redis';
  /** Appends one entry to `topic` and resolves to its stream id. */
  publish(topic: string, fields: Record<string, string>): Promise<string>;
  /**
   * Calls `onEntry` for every entry appended to `topic` after `afterId` (`$` or unset: only new
   * ones). Resolves to an unsubscribe function.
   */
  subscribe(topic: string, onEntry: (entry: BusEntry) => void, options?: { afterId?: string }): Promise<() => Promise<void>>;
  /** Entries of `topic` after `afterId`, oldest first, at most `limit`. */
  read(topic: string, options: { afterId: string; limit: number }): Promise<BusEntry[]>;
  /** Resolves when the bus can accept publishes (Redis reachable). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

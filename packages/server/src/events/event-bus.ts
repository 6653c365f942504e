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
  /**
   * Appends one entry to `topic` and resolves to its stream id. Rejects with
   * `EventBusUnavailableError` when the bus cannot be reached (nothing was appended, as far as
   * this process can tell).
   */
  publish(topic: string, fields: Record<string, string>): Promise<string>;
  /**
   * Calls `onEntry` for every entry appended to `topic` after `afterId` (`$` or unset: only new
   * ones), in stream order. Resolves to an unsubscribe function once the starting position is
   * fixed, so an entry published after `subscribe` resolves is always delivered.
   */
  subscribe(topic: string, onEntry: (entry: BusEntry) => void, options?: { afterId?: string }): Promise<() => Promise<void>>;
  /** Entries of `topic` after `afterId` (`0` for the beginning), oldest first, at most `limit`. */
  read(topic: string, options: { afterId: string; limit: number }): Promise<BusEntry[]>;
  /** The id of the newest entry of `topic`, or `0-0` when it has none. */
  latestId(topic: string): Promise<string>;
  /**
   * The in-process bus only (Redis keeps its streams across restarts): appends an entry dated
   * `atMs` (its id's time part, kept increasing), to rebuild the streams from the outbox at start.
   */
  restore?(topic: string, fields: Record<string, string>, atMs: number): string;
  /** Resolves when the bus can accept publishes (Redis reachable). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

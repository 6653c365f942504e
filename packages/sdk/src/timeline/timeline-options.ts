/**
 * How a client reports timeline events. Every field has a default.
 * @example
 * new Caracal({ ...options, timeline: { maxQueuedEvents: 2000, flushTimeoutMs: 1000 } });
 * @since 0.1.0
 */
export interface TimelineOptions {
  /** Events waiting to be sent, at most; beyond that new events are dropped (and counted). @default 10000 */
  readonly maxQueuedEvents?: number | undefined;
  /** How long the end of a `spawn()` (and `flush()`) waits for its events to reach the server. @default 5000 */
  readonly flushTimeoutMs?: number | undefined;
}

/**
 * What happened to the events a client was asked to record.
 * @since 0.1.0
 */
export interface TimelineStats {
  /** Events the server stored. */
  readonly sent: number;
  /** Events never sent: the queue was full, or one was too large even after truncation. */
  readonly dropped: number;
  /** Events sent but not stored: the server was unreachable after retries, or answered an error. */
  readonly failed: number;
  /** Events waiting to be sent (or in flight) now. */
  readonly queued: number;
}

/** @internal */
export const DEFAULT_MAX_QUEUED_EVENTS = 10_000;
/** @internal */
export const DEFAULT_FLUSH_TIMEOUT_MS = 5000;

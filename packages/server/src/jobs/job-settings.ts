/** Intervals and limits of the background jobs; every field is configurable. */
export interface JobSettings {
  /** Rows per outbox claim. @default 50 */
  outboxBatchSize: number;
  /** Outbox batches in flight at once per replica (see OutboxPublisherOptions.concurrency). @default 1 */
  outboxConcurrency: number;
  /** Failed publishes after which a row is `dead`. @default 10 */
  outboxMaxAttempts: number;
  /** Fallback poll of the outbox when no NOTIFY wakes the publisher. @default 1000 */
  outboxPollIntervalMs: number;
  /** Backoff base for failed rows. @default 100 */
  outboxBackoffBaseMs: number;
  /** Backoff ceiling for failed rows (docs/decisions/2026-12-04-outbox-delivery.md). @default 5000 */
  outboxBackoffCapMs: number;
  /** How long shutdown keeps publishing what is due. @default 5000 */
  outboxFlushTimeoutMs: number;
  /** TTL sweeper: expire sessions and edges past their expiry. @default 5000 */
  ttlSweepIntervalMs: number;
  /** Service lease sweeper: mark service agents without a heartbeat unhealthy. @default 10000 */
  leaseSweepIntervalMs: number;
  /** Deadline enforcer: fail invocations past their deadline. @default 2000 */
  deadlineIntervalMs: number;
  /** Run sweeper: unclaimed runs time out, silent runners lose their runs. @default 2000 */
  runSweepIntervalMs: number;
  /** Retention cleaner run interval. @default 3600000 (1 h) */
  retentionIntervalMs: number;
  /** Published outbox rows and finished history older than this are deleted. @default 7 days */
  retentionWindowMs: number;
  /** Timeline events older than this are deleted (`CARACAL_TIMELINE_RETENTION_DAYS`). @default 30 days */
  timelineRetentionMs: number;
  /** Relay dedupe memory (outbox ids). @default 50000 */
  relayDedupeCapacity: number;
}

export const DEFAULT_JOB_SETTINGS: JobSettings = {
  outboxBatchSize: 50,
  outboxConcurrency: 1,
  outboxMaxAttempts: 10,
  outboxPollIntervalMs: 1000,
  outboxBackoffBaseMs: 100,
  outboxBackoffCapMs: 5000,
  outboxFlushTimeoutMs: 5000,
  ttlSweepIntervalMs: 5000,
  leaseSweepIntervalMs: 10_000,
  deadlineIntervalMs: 2000,
  runSweepIntervalMs: 2000,
  retentionIntervalMs: 3_600_000,
  retentionWindowMs: 7 * 24 * 3_600_000,
  timelineRetentionMs: 30 * 24 * 3_600_000,
  relayDedupeCapacity: 50_000,
};

import type { Queryable } from '../db/database.ts';

/** One claimed outbox row, as the publisher needs it. */
export interface OutboxRow {
  id: string;
  topic: string;
  zoneId: string;
  eventType: string;
  payload: unknown;
  /** Failed attempts so far. */
  attempts: number;
  createdAt: string;
}

interface RawOutboxRow {
  id: string;
  topic: string;
  zone_id: string | null;
  event_type: string;
  payload: unknown;
  attempts: number;
  created_at: Date | string;
}

/**
 * Locks up to `limit` publishable rows for the caller's transaction. SKIP LOCKED makes
 * concurrent publishers (replicas) take disjoint rows. Rows never tried (`attempts = 0`) are due
 * at once whatever the clocks say; retried rows wait for their `available_at`, compared with the
 * injected clock so backoff is testable with fake time. The order names the column, not the text
 * alias: by the alias it put "10" before "9" and sorted every pending row on each claim, so a
 * backlog slowed its own draining. Prepared: every batch runs it, so Postgres skips parse and plan.
 */
export async function claimPendingOutboxRows(transaction: Queryable, options: { limit: number; now: Date }): Promise<OutboxRow[]> {
  const result = await transaction.query<RawOutboxRow>(
    `SELECT id::text AS id, topic, zone_id, event_type, payload, attempts, created_at
       FROM caracal_outbox
      WHERE status = 'pending' AND (attempts = 0 OR available_at <= $1::timestamptz)
      ORDER BY caracal_outbox.id
      LIMIT $2
      FOR UPDATE SKIP LOCKED`,
    [options.now.toISOString(), options.limit],
    { prepare: true },
  );
  return result.rows.map((row) => ({
    id: row.id,
    topic: row.topic,
    zoneId: row.zone_id ?? '',
    eventType: row.event_type,
    payload: row.payload,
    attempts: Number(row.attempts),
    createdAt: new Date(row.created_at).toISOString(),
  }));
}

/** Prepared, as the claim: every batch that publishes runs it. */
export async function markOutboxRowsPublished(transaction: Queryable, ids: readonly string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await transaction.query(
    `UPDATE caracal_outbox SET status = 'published', published_at = $2::timestamptz, last_error = NULL
      WHERE id = ANY($1::bigint[])`,
    [ids, now.toISOString()],
    { prepare: true },
  );
}

export interface OutboxFailure {
  id: string;
  /** Failed attempts including this one. */
  attempts: number;
  /** When to try again; ignored when `dead`. */
  availableAt: Date;
  dead: boolean;
  error: string;
}

export async function markOutboxRowsFailed(transaction: Queryable, failures: readonly OutboxFailure[]): Promise<void> {
  for (const failure of failures) {
    await transaction.query(
      `UPDATE caracal_outbox
          SET attempts = $2, available_at = $3::timestamptz, status = $4, last_error = $5
        WHERE id = $1::bigint`,
      [failure.id, failure.attempts, failure.availableAt.toISOString(), failure.dead ? 'dead' : 'pending', failure.error.slice(0, 2000)],
    );
  }
}

/** Rows waiting and rows given up on, for the metrics gauges. */
export async function countOutboxBacklog(database: Queryable): Promise<{ pending: number; dead: number }> {
  const result = await database.query<{ status: string; count: string | number }>(
    `SELECT status, count(*) AS count FROM caracal_outbox WHERE status IN ('pending', 'dead') GROUP BY status`,
  );
  const counts = { pending: 0, dead: 0 };
  for (const row of result.rows) {
    if (row.status === 'pending' || row.status === 'dead') counts[row.status] = Number(row.count);
  }
  return counts;
}

/**
 * Deletes published rows older than `olderThan`, at most `limit` per call so a large backlog is
 * trimmed in short transactions. Dead rows are kept for operators to inspect.
 */
export async function deletePublishedOutboxRows(database: Queryable, options: { olderThan: Date; limit: number }): Promise<number> {
  const result = await database.query(
    `DELETE FROM caracal_outbox WHERE id IN (
       SELECT id FROM caracal_outbox
        WHERE status = 'published' AND published_at < $1::timestamptz
        ORDER BY published_at LIMIT $2)`,
    [options.olderThan.toISOString(), options.limit],
  );
  return result.rowCount;
}

import { TIMELINE_TOPIC, type SessionEvent } from '@caracal/protocol';
import type { Transaction } from '../../db/database.ts';
import { OUTBOX_CHANNEL } from '../../events/topics.ts';
import { sessionEventPayloadSql } from '../../events/timeline-facts-sql.ts';
import { sessionEventView, type SessionEventRow, type TimelineEntry } from './timeline-entry.ts';

const COLUMNS = 10;
/** The outbox payload of each inserted row, built by Postgres so event and outbox row take one statement. */
const OUTBOX_PAYLOAD = sessionEventPayloadSql('recorded');

/**
 * Appends events to their sessions' timelines inside the caller's transaction, so an event exists
 * exactly when the state change it records does. In the same statement (one round trip) each
 * event is written to the outbox on TIMELINE_TOPIC (payload: the wire event plus `zone_id` and `application_id`, which
 * feed visibility reads), so the live feeds carry it once it commits. Returns the events as the
 * wire shows them, in the order given (ids ascend in that order). `notify: false` leaves out the
 * in-transaction NOTIFY: the caller wakes the publishers after its commit (wakeOutboxPublishers),
 * so commits do not queue behind each other on the NOTIFY lock (hot paths: agents' posts).
 */
export async function appendTimelineEvents(
  transaction: Transaction,
  entries: readonly TimelineEntry[],
  now: number,
  options: { notify?: boolean } = {},
): Promise<SessionEvent[]> {
  if (entries.length === 0) return [];
  const recordedAt = new Date(now).toISOString();
  const params: unknown[] = [];
  const tuples = entries.map((entry, index) => {
    params.push(
      index,
      entry.zoneId,
      entry.sessionId,
      entry.applicationId,
      entry.runId ?? null,
      entry.eventType,
      entry.source,
      entry.reportedAt ?? null,
      JSON.stringify(entry.body ?? {}),
      entry.details === undefined || entry.details === null ? null : JSON.stringify(entry.details),
    );
    const base = index * COLUMNS;
    const slot = (offset: number) => `$${base + offset}`;
    return `(${slot(1)}::int, ${slot(2)}, ${slot(3)}, ${slot(4)}, ${slot(5)}, ${slot(6)}, ${slot(7)}, ${slot(8)}::timestamptz, ${slot(9)}::jsonb, ${slot(10)}::jsonb)`;
  });
  params.push(recordedAt);
  const recordedAtSlot = `$${params.length}::timestamptz`;
  const { rows } = await transaction.query<SessionEventRow & { ordinal: number }>(
    `WITH input (ordinal, zone_id, session_id, application_id, run_id, event_type, source, reported_at, body, details) AS (
       VALUES ${tuples.join(', ')}
     ),
     inserted AS (
       INSERT INTO session_events (zone_id, session_id, application_id, run_id, event_type, source, recorded_at, reported_at, body, details)
       SELECT zone_id, session_id, application_id, run_id, event_type, source, ${recordedAtSlot}, reported_at, body, details
       FROM input ORDER BY ordinal
       RETURNING *
     ),
     feed AS (
       INSERT INTO caracal_outbox (topic, event_type, zone_id, payload)
       SELECT '${TIMELINE_TOPIC}', 'session_event', recorded.zone_id, ${OUTBOX_PAYLOAD}
       FROM inserted AS recorded ORDER BY recorded.id
     )
     SELECT * FROM inserted ORDER BY id`,
    params,
    // A single event (agents' hot path) always has the same text: kept planned per connection.
    { prepare: entries.length === 1 },
  );
  if (options.notify !== false) await transaction.query(`SELECT pg_notify('${OUTBOX_CHANNEL}', '')`);
  return rows.map(sessionEventView);
}

import { TIMELINE_TOPIC, type SessionEvent } from '@caracal/protocol';
import type { Transaction } from '../../db/database.ts';
import { OUTBOX_CHANNEL } from '../../events/topics.ts';
import { sessionEventView, type SessionEventRow, type TimelineEntry } from './timeline-entry.ts';

const COLUMNS = 10;

/**
 * Appends events to their sessions' timelines inside the caller's transaction, so an event exists
 * exactly when the state change it records does. In the same statement each event is written to
 * the outbox on TIMELINE_TOPIC (payload: the wire event plus `zone_id` and `application_id`, which
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
     )
     SELECT * FROM inserted ORDER BY id`,
    params,
  );
  const events = rows.map((row) => ({ row, event: sessionEventView(row) }));
  const outboxParams: unknown[] = [];
  const outboxTuples = events.map(({ row, event }, index) => {
    outboxParams.push(row.zone_id, JSON.stringify({ ...event, zone_id: row.zone_id, application_id: row.application_id }));
    return `('${TIMELINE_TOPIC}', 'session_event', $${index * 2 + 1}, $${index * 2 + 2}::jsonb)`;
  });
  await transaction.query(`INSERT INTO caracal_outbox (topic, event_type, zone_id, payload) VALUES ${outboxTuples.join(', ')}`, outboxParams);
  if (options.notify !== false) await transaction.query(`SELECT pg_notify('${OUTBOX_CHANNEL}', '')`);
  return events.map(({ event }) => event);
}

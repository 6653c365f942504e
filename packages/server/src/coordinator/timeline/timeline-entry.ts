import { SESSION_EVENT_BODY_FIELDS, type EventSource, type SessionEvent } from '@caracal/protocol';

/** One event to append to a session's timeline. */
export interface TimelineEntry {
  zoneId: string;
  sessionId: string;
  applicationId: string;
  runId?: string | null;
  eventType: string;
  source: EventSource;
  /** The client's own time of the event (agents' events only); never used for order. */
  reportedAt?: string | null;
  /** The seed fields the event carries (`tool_name`, `tool_input`, `result_text`, …). */
  body?: Record<string, unknown>;
  /** The server's own facts (`source` coordinator or sts). */
  details?: Record<string, unknown> | null;
}

/** A `session_events` row as the repository reads it back. */
export interface SessionEventRow {
  id: string | number;
  zone_id: string;
  session_id: string;
  application_id: string;
  run_id: string | null;
  event_type: string;
  source: EventSource;
  recorded_at: Date | string;
  reported_at: Date | string | null;
  body: Record<string, unknown>;
  details: Record<string, unknown> | null;
}

function isoOf(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

/** The wire form of a row: every seed field present (null when the event did not carry it). */
export function sessionEventView(row: SessionEventRow): SessionEvent {
  const view: Record<string, unknown> = {
    id: Number(row.id),
    session_id: row.session_id,
    run_id: row.run_id,
    event_type: row.event_type,
    source: row.source,
    timestamp: isoOf(row.recorded_at),
    reported_at: row.reported_at === null ? null : isoOf(row.reported_at),
  };
  for (const field of SESSION_EVENT_BODY_FIELDS) view[field] = row.body[field] ?? null;
  view.details = row.details;
  return view as SessionEvent;
}

import { SESSION_EVENT_BODY_FIELDS, TIMELINE_TOPIC } from '@caracal/protocol';
import type { EventSource } from '@caracal/protocol';
import { outboxInsertCte, outboxRows, type OutboxRows } from './outbox-rows-sql.ts';

/** ISO 8601 text (as `Date#toISOString` writes it) of a timestamptz SQL expression; NULL stays NULL. */
export function isoTextSql(expression: string): string {
  return `to_char((${expression}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/**
 * The outbox payload of a `session_events` row aliased `alias`, built in SQL: the wire event
 * (`sessionEventView`) plus `zone_id` and `application_id`, as appendTimelineEvents writes it.
 */
export function sessionEventPayloadSql(alias: string): string {
  const bodyFields = SESSION_EVENT_BODY_FIELDS.map((field) => `'${field}', ${alias}.body -> '${field}'`).join(', ');
  return `jsonb_build_object('id', ${alias}.id, 'session_id', ${alias}.session_id, 'run_id', ${alias}.run_id,
    'event_type', ${alias}.event_type, 'source', ${alias}.source, 'timestamp', ${isoTextSql(`${alias}.recorded_at`)},
    'reported_at', ${isoTextSql(`${alias}.reported_at`)}, ${bodyFields}, 'details', ${alias}.details,
    'zone_id', ${alias}.zone_id, 'application_id', ${alias}.application_id)`;
}

/** How a statement's own facts reach the timelines. */
export interface TimelineFactParts {
  /**
   * SQL yielding the facts, one row per event: `zone_id`, `session_id`, `application_id`,
   * `event_type`, `details` (jsonb) and `recorded_at` (timestamptz), plus the columns `orderBy` names.
   */
  facts: string;
  /** Columns of `facts`, comma-separated: the events are recorded in their order (ids ascend in it). */
  orderBy: string;
  source: Extract<EventSource, 'coordinator' | 'sts'>;
  /** The facts carry a `run_id` column too (text, NULL for facts of no run). */
  withRunId?: boolean;
}

/** A statement's facts as timelineFacts writes them: the CTE recording them, and their feed's outbox rows. */
export interface TimelineFactWrites {
  /** CTE `name`: appends the facts to `session_events`, RETURNING the rows. */
  cte: string;
  /** One outbox row per event on TIMELINE_TOPIC, in the events' order, for the statement's outbox insert (outbox-rows-sql.ts). */
  feed: OutboxRows;
  /** The feed rows of the events `condition` (SQL over the recorded row, alias `recorded`) holds for. */
  feedWhere(condition: string): OutboxRows;
}

/**
 * The set-based form of appendTimelineEvents, for statements whose change is itself one SQL
 * statement (a cascade may touch many sessions): CTE `name` appends the facts to `session_events`
 * and `feed` yields the outbox rows of the feeds, with the payload appendTimelineEvents writes.
 * No NOTIFY here: callers wake the publishers after the commit (wakeOutboxPublishers).
 */
export function timelineFacts(name: string, parts: TimelineFactParts): TimelineFactWrites {
  const feedWhere = (condition: string): OutboxRows =>
    outboxRows({
      topic: `'${TIMELINE_TOPIC}'`,
      eventType: "'session_event'",
      zoneId: 'recorded.zone_id',
      payload: sessionEventPayloadSql('recorded'),
      orderBy: { number: 'recorded.id' },
      from: `FROM ${name} AS recorded${condition === 'true' ? '' : ` WHERE ${condition}`}`,
    });
  return {
    cte: `${name} AS (
      INSERT INTO session_events (zone_id, session_id, application_id, event_type, source, recorded_at, details${parts.withRunId === true ? ', run_id' : ''})
      SELECT fact.zone_id, fact.session_id, fact.application_id, fact.event_type, '${parts.source}', fact.recorded_at, fact.details${parts.withRunId === true ? ', fact.run_id' : ''}
      FROM (${parts.facts}) AS fact ORDER BY ${parts.orderBy}
      RETURNING *)`,
    feed: feedWhere('true'),
    feedWhere,
  };
}

/**
 * timelineFacts with its own outbox insert, CTE `name_feed`: both commit exactly when the
 * statement does. A statement writing other outbox rows too writes them all in one insert instead
 * (timelineFacts, outboxInsertCte).
 */
export function timelineFactCtes(name: string, parts: TimelineFactParts): string[] {
  const { cte, feed } = timelineFacts(name, parts);
  return [cte, outboxInsertCte(`${name}_feed`, [feed])];
}

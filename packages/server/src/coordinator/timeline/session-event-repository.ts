import type { EventSource } from '@caracal/protocol';
import type { Queryable } from '../../db/database.ts';
import type { PageRequest } from '../../http/pagination.ts';
import { SqlParameters } from '../shared/sql-parameters.ts';
import type { SessionEventRow } from './timeline-entry.ts';

const COLUMNS = 'id, zone_id, session_id, application_id, run_id, event_type, source, recorded_at, reported_at, body, details';

/** What a timeline read keeps: any of these types and sources, recorded in [since, until). */
export interface EventFilters {
  eventTypes: readonly string[] | undefined;
  sources: readonly EventSource[] | undefined;
  since: string | undefined;
  until: string | undefined;
}

/** One page of a session's timeline in server order (id ascending), one row extra (toPage). */
export async function listSessionEvents(
  queryable: Queryable,
  sessionId: string,
  filters: EventFilters,
  page: PageRequest,
): Promise<SessionEventRow[]> {
  const p = new SqlParameters();
  const conditions = [`session_id = ${p.add(sessionId)}`];
  if (filters.eventTypes !== undefined) conditions.push(`event_type = ANY (${p.add(filters.eventTypes, '::text[]')})`);
  if (filters.sources !== undefined) conditions.push(`source = ANY (${p.add(filters.sources, '::text[]')})`);
  if (filters.since !== undefined) conditions.push(`recorded_at >= ${p.add(filters.since, '::timestamptz')}`);
  if (filters.until !== undefined) conditions.push(`recorded_at < ${p.add(filters.until, '::timestamptz')}`);
  if (page.afterKey !== undefined) conditions.push(`id > ${p.add(page.afterKey, '::bigint')}`);
  const { rows } = await queryable.query<SessionEventRow>(
    `SELECT ${COLUMNS} FROM session_events WHERE ${conditions.join(' AND ')} ORDER BY id LIMIT ${p.add(page.limit + 1)}`,
    p.values,
    // One text per combination of filters (at most 32): kept planned per connection.
    { prepare: true },
  );
  return rows;
}

/** The session's newest `result` event, if any. */
export async function newestResultEvent(queryable: Queryable, sessionId: string): Promise<SessionEventRow | undefined> {
  const { rows } = await queryable.query<SessionEventRow>(
    `SELECT ${COLUMNS} FROM session_events WHERE session_id = $1 AND event_type = 'result' ORDER BY id DESC LIMIT 1`,
    [sessionId],
    { prepare: true },
  );
  return rows[0];
}

/** Removes every event of these sessions; returns how many. */
export async function deleteSessionEvents(queryable: Queryable, sessionIds: readonly string[]): Promise<number> {
  const result = await queryable.query('DELETE FROM session_events WHERE session_id = ANY ($1::text[])', [sessionIds]);
  return result.rowCount;
}

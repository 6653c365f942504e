import type { EventSource, ListSessionEventsQuery, SessionEvent } from '@caracal/protocol';
import type { Principal } from '../../auth/principal.ts';
import type { Queryable } from '../../db/database.ts';
import { listedPage } from '../../http/pagination.ts';
import { badRequest } from '../../http/server-error.ts';
import { parseTimestamp } from '../shared/time.ts';
import { listSessionEvents, type EventFilters } from './session-event-repository.ts';
import { requireSeedSession } from './seed-visibility.ts';
import { sessionEventView, type SessionEventRow } from './timeline-entry.ts';

/** Event ids as page keys: the server's order. */
const EVENT_KEYS = { pattern: '^[0-9]{1,18}$', of: (row: SessionEventRow) => String(row.id) };

/** The filters of a timeline read: comma lists of types and sources, and a [since, until) window. */
export function eventFiltersOf(query: ListSessionEventsQuery): EventFilters {
  const since = query.since === undefined ? undefined : parseTimestamp(query.since, 'since');
  const until = query.until === undefined ? undefined : parseTimestamp(query.until, 'until');
  if (since !== undefined && until !== undefined && until < since) throw badRequest('until must not be before since');
  return {
    eventTypes: query.event_type?.split(','),
    sources: query.source?.split(',') as EventSource[] | undefined,
    since: since === undefined ? undefined : new Date(since).toISOString(),
    until: until === undefined ? undefined : new Date(until).toISOString(),
  };
}

/**
 * One page of a session's timeline, in server order: `{ events, next_cursor }`; 404 `not_found`
 * when the caller may not see the session. Both timeline reads (`/sessions/{id}/events` and the
 * legacy `/events/{session_id}`) answer with it.
 */
export async function sessionEventPage(
  queryable: Queryable,
  principal: Principal,
  sessionId: string,
  query: ListSessionEventsQuery,
): Promise<{ events: SessionEvent[]; next_cursor: string | null }> {
  const session = await requireSeedSession(queryable, principal, sessionId);
  const filters = eventFiltersOf(query);
  const page = await listedPage(query, EVENT_KEYS, (request) => listSessionEvents(queryable, session.id, filters, request), sessionEventView);
  return { events: page.items, next_cursor: page.next_cursor };
}

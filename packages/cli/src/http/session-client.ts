import type { DeletedSeedSession, SeedSession, SessionEvent, SessionResult, UncheckedBody } from '@caracal/protocol';
import { PAGE_LIMIT_MAX } from '@caracal/protocol/constants';
import { CliError } from '../errors.ts';
import type { SessionSettings } from '../settings/session-settings.ts';
import { requestJson } from './request-json.ts';
import { expectObject } from './response-shape.ts';

/** The filters of `GET /sessions/{id}/events`, as the server spells them (comma-separated lists). */
export interface EventFilter {
  eventType?: string | undefined;
  source?: string | undefined;
  since?: string | undefined;
}

/** The session and timeline routes (docs/sessions.md); the zone is the bearer's. */
export interface SessionClient {
  listSessions(status: string | undefined): Promise<Array<UncheckedBody<SeedSession>>>;
  getSession(sessionId: string): Promise<UncheckedBody<SeedSession>>;
  /** Every event in server order, following `next_cursor`, at most `limit` of them when given. */
  listEvents(sessionId: string, filter: EventFilter, limit: number | undefined): Promise<Array<UncheckedBody<SessionEvent>>>;
  getResult(sessionId: string): Promise<UncheckedBody<SessionResult>>;
  deleteSession(sessionId: string): Promise<UncheckedBody<DeletedSeedSession>>;
}

export function createSessionClient(settings: SessionSettings): SessionClient {
  const call = (method: 'GET' | 'DELETE', path: string): Promise<unknown> => requestJson({ method, url: settings.url + path, token: settings.token });
  const session = (id: string): string => `/sessions/${encodeURIComponent(id)}`;
  return {
    listSessions: (status) =>
      collectSeedPages('sessions', 'list sessions', undefined, async (cursor, limit) => {
        const search = pageQuery(cursor, limit, { status });
        return call('GET', `/sessions?${search}`);
      }),
    getSession: async (id) => {
      const answer = expectObject<{ session: SeedSession }>(await call('GET', session(id)), 'get session');
      return expectObject<SeedSession>(answer.session, 'get session');
    },
    listEvents: (id, filter, limit) =>
      collectSeedPages('events', 'list session events', limit, async (cursor, pageLimit) => {
        const search = pageQuery(cursor, pageLimit, { event_type: filter.eventType, source: filter.source, since: filter.since });
        return call('GET', `${session(id)}/events?${search}`);
      }),
    getResult: async (id) => expectObject<SessionResult>(await call('GET', `${session(id)}/result`), 'get session result'),
    deleteSession: async (id) => expectObject<DeletedSeedSession>(await call('DELETE', session(id)), 'delete session'),
  };
}

function pageQuery(cursor: string | undefined, limit: number, filters: Record<string, string | undefined>): string {
  const search = new URLSearchParams({ limit: String(limit) });
  for (const [name, value] of Object.entries(filters)) if (value !== undefined) search.set(name, value);
  if (cursor !== undefined) search.set('cursor', cursor);
  return search.toString();
}

/**
 * The seed routes page as `{ <items>, next_cursor }` (their own field name, not `items`): follows
 * the cursor until the last page or `limit` items, and stops on a cursor seen twice.
 */
async function collectSeedPages<Item>(
  field: 'sessions' | 'events',
  what: string,
  limit: number | undefined,
  fetchPage: (cursor: string | undefined, pageLimit: number) => Promise<unknown>,
): Promise<Array<UncheckedBody<Item>>> {
  const items: Array<UncheckedBody<Item>> = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (;;) {
    const remaining = limit === undefined ? PAGE_LIMIT_MAX : Math.min(PAGE_LIMIT_MAX, limit - items.length);
    const page = expectObject<Record<string, unknown>>(await fetchPage(cursor, remaining), what);
    const pageItems = page[field];
    if (!Array.isArray(pageItems) || !pageItems.every((item) => typeof item === 'object' && item !== null && !Array.isArray(item))) {
      throw new CliError('invalid_response', `${what}: expected { ${field}: [...] } from the server`);
    }
    items.push(...(pageItems as Array<UncheckedBody<Item>>).slice(0, remaining));
    const next = page.next_cursor;
    if (typeof next !== 'string' || next === '' || (limit !== undefined && items.length >= limit)) return items;
    if (seen.has(next)) throw new CliError('invalid_response', `${what}: the server returned the same next_cursor twice`);
    seen.add(next);
    cursor = next;
  }
}

import type { DeletedSeedSession, RunStatus, SeedSession, SessionEvent, SessionResult } from '@caracal/protocol';
import { segment, type AdminTransport } from './admin-transport.ts';
import { everyItem, pageOf } from './pages.ts';

export interface EventFilters {
  /** One type or several (comma-separated on the wire). */
  eventType?: string | readonly string[] | undefined;
  source?: string | readonly string[] | undefined;
  since?: string | undefined;
  until?: string | undefined;
  limit?: number | undefined;
}

/** Timelines and the Agent Coordinator's session views (`/sessions…`, docs/sessions.md). */
export interface AdminTimeline {
  /** A session's events in server order, over every page. */
  events(sessionId: string, filters?: EventFilters): AsyncIterable<SessionEvent>;
  sessions(filters?: { status?: RunStatus | undefined; limit?: number | undefined }): AsyncIterable<SeedSession>;
  session(id: string): Promise<SeedSession>;
  result(id: string): Promise<SessionResult>;
  /** Deletes the session and its subtree from the timeline views (terminating what still holds authority). */
  deleteSession(id: string): Promise<DeletedSeedSession>;
}

const list = (value: string | readonly string[] | undefined) => (typeof value === 'string' || value === undefined ? value : value.join(','));

export function adminTimeline(transport: AdminTransport): AdminTimeline {
  const session = (id: string) => `/sessions/${segment(id)}`;
  return {
    events: (sessionId, filters = {}) =>
      everyItem(async (cursor) =>
        pageOf<SessionEvent>(
          await transport.send<Record<string, unknown>>({
            method: 'GET',
            path: `${session(sessionId)}/events`,
            query: { event_type: list(filters.eventType), source: list(filters.source), since: filters.since, until: filters.until, limit: filters.limit, cursor },
          }),
          'events',
        ),
      ),
    sessions: (filters = {}) =>
      everyItem(async (cursor) =>
        pageOf<SeedSession>(await transport.send<Record<string, unknown>>({ method: 'GET', path: '/sessions', query: { status: filters.status, limit: filters.limit, cursor } }), 'sessions'),
      ),
    session: async (id) => (await transport.send<{ session: SeedSession }>({ method: 'GET', path: session(id) })).session,
    result: (id) => transport.send<SessionResult>({ method: 'GET', path: `${session(id)}/result` }),
    deleteSession: (id) => transport.send<DeletedSeedSession>({ method: 'DELETE', path: session(id) }),
  };
}

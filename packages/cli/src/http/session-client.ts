import type { DeletedSeedSession, RunStatus, SeedSession, SessionEvent, SessionResult, UncheckedBody } from '@caracal/protocol';
import { PAGE_LIMIT_MAX } from '@caracal/protocol/constants';
import { collect } from '@caracal/sdk/admin';
import type { SessionSettings } from '../settings/session-settings.ts';
import { adminCall, adminClientFor } from './admin-calls.ts';

/** The filters of `GET /sessions/{id}/events`, as the server spells them (comma-separated lists). */
export interface EventFilter {
  eventType?: string | undefined;
  source?: string | undefined;
  since?: string | undefined;
}

/** The session and timeline routes (docs/sessions.md), through `@caracal/sdk/admin`; the zone is the bearer's. */
export interface SessionClient {
  listSessions(status: string | undefined): Promise<Array<UncheckedBody<SeedSession>>>;
  getSession(sessionId: string): Promise<UncheckedBody<SeedSession>>;
  /** Every event in server order, following `next_cursor`, at most `limit` of them when given. */
  listEvents(sessionId: string, filter: EventFilter, limit: number | undefined): Promise<Array<UncheckedBody<SessionEvent>>>;
  getResult(sessionId: string): Promise<UncheckedBody<SessionResult>>;
  deleteSession(sessionId: string): Promise<UncheckedBody<DeletedSeedSession>>;
}

/** The first `limit` items (all without one). */
async function first<Item>(items: AsyncIterable<Item>, limit: number | undefined): Promise<Item[]> {
  if (limit === undefined) return collect(items);
  const taken: Item[] = [];
  if (limit <= 0) return taken;
  for await (const item of items) {
    taken.push(item);
    if (taken.length >= limit) break;
  }
  return taken;
}

export function createSessionClient(settings: SessionSettings): SessionClient {
  const admin = adminClientFor(settings);
  const call = <T>(work: () => Promise<T>) => adminCall(settings, work);
  return {
    listSessions: (status) => call(() => collect(admin.timeline.sessions({ status: status as RunStatus | undefined, limit: PAGE_LIMIT_MAX }))),
    getSession: (id) => call(() => admin.timeline.session(id)),
    listEvents: (id, filter, limit) =>
      call(() =>
        first(
          admin.timeline.events(id, { ...filter, limit: limit === undefined ? PAGE_LIMIT_MAX : Math.min(PAGE_LIMIT_MAX, Math.max(1, limit)) }),
          limit,
        ),
      ),
    getResult: (id) => call(() => admin.timeline.result(id)),
    deleteSession: (id) => call(() => admin.timeline.deleteSession(id)),
  };
}

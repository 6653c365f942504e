import type { SeedSession } from '@caracal/protocol';
import type { Queryable } from '../../db/database.ts';
import type { SessionFeedSessions } from '../../events/session-feed-sessions.ts';
import { findSeedSession, listSeedSessions } from './seed-session-repository.ts';
import { seedSessionView } from './seed-session.ts';

/**
 * How many sessions an `init` message lists at most (newest first). A dashboard pages older ones
 * with `GET /sessions`; an unbounded list would make every connect cost as much as the zone is big.
 */
export const INIT_SESSIONS_LIMIT = 200;

/**
 * The session feed's view of the sessions: what `GET /sessions` lists (the zone's, an
 * application's own only, none deleted from the seed views), newest first.
 */
export function seedFeedSessions(queryable: Queryable): SessionFeedSessions {
  return {
    async list(request): Promise<SeedSession[]> {
      const applicationId = request.viewer.operator ? undefined : request.viewer.applicationId;
      if (request.sessionId !== undefined) {
        const row = await findSeedSession(queryable, request.sessionId);
        const listed =
          row !== undefined &&
          row.zone_id === request.zoneId &&
          (applicationId === undefined || row.application_id === applicationId) &&
          row.seed_deleted_at === null;
        return listed ? [seedSessionView(row)] : [];
      }
      const rows = await listSeedSessions(
        queryable,
        { zoneId: request.zoneId, applicationId, runStatus: undefined },
        { limit: INIT_SESSIONS_LIMIT, afterKey: undefined },
      );
      return rows.slice(0, INIT_SESSIONS_LIMIT).map(seedSessionView);
    },
    async ownerOf(sessionId) {
      const row = await findSeedSession(queryable, sessionId);
      if (row === undefined || row.seed_deleted_at !== null) return undefined;
      return { zoneId: row.zone_id, applicationId: row.application_id };
    },
  };
}

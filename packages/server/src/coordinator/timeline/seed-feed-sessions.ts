import type { SeedSession } from '@caracal/protocol';
import type { Queryable } from '../../db/database.ts';
import type { FeedViewer } from '../../events/feed-visibility.ts';
import type { SessionFeedSessions } from '../../events/session-feed-sessions.ts';
import { SEED_SESSION_COLUMNS, seedSessionView, type SeedSessionRow } from './seed-session.ts';

/**
 * How many sessions an `init` message lists at most (newest first). A dashboard pages older ones
 * with `GET /sessions`; an unbounded list would make every connect cost as much as the zone is big.
 */
export const INIT_SESSIONS_LIMIT = 200;

/** The session feed's view of the sessions table. */
export function seedFeedSessions(queryable: Queryable): SessionFeedSessions {
  return {
    list: (request) => readInitSessions(queryable, request),
    async ownerOf(sessionId) {
      const { rows } = await queryable.query<{ zone_id: string; application_id: string }>(
        'SELECT zone_id, application_id FROM agent_sessions WHERE id = $1',
        [sessionId],
      );
      const row = rows[0];
      return row === undefined ? undefined : { zoneId: row.zone_id, applicationId: row.application_id };
    },
  };
}

/**
 * The sessions a fresh session-feed connection starts from: the zone's (an application's own
 * only), newest first (ids sort by creation time), or just the one session the feed is filtered to.
 */
async function readInitSessions(
  queryable: Queryable,
  request: { zoneId: string; viewer: FeedViewer; sessionId: string | undefined },
): Promise<SeedSession[]> {
  // Sessions deleted with DELETE /sessions/{id} have left the seed views.
  const conditions = ['zone_id = $1', 'seed_deleted_at IS NULL'];
  const params: unknown[] = [request.zoneId];
  if (!request.viewer.operator) {
    params.push(request.viewer.applicationId);
    conditions.push(`application_id = $${params.length}`);
  }
  if (request.sessionId !== undefined) {
    params.push(request.sessionId);
    conditions.push(`id = $${params.length}`);
  }
  params.push(INIT_SESSIONS_LIMIT);
  const { rows } = await queryable.query<SeedSessionRow>(
    `SELECT ${SEED_SESSION_COLUMNS} FROM agent_sessions WHERE ${conditions.join(' AND ')} ORDER BY id DESC LIMIT $${params.length}`,
    params,
  );
  return rows.map(seedSessionView);
}

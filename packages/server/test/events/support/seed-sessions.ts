import type { Database } from '../../../src/db/database.ts';

let seat = 0;

/** Inserts a bare agent session (what the seed feeds read of it), spawned at `spawnedAt`. */
export async function insertSeedSession(
  database: Database,
  session: { id: string; zoneId: string; applicationId: string; spawnedAt?: string },
): Promise<void> {
  seat += 1;
  await database.query(
    `INSERT INTO agent_sessions (id, zone_id, application_id, root_id, depth, zone_seat, application_seat, spawned_at)
     VALUES ($1, $2, $3, $1, 0, $4, $4, $5::timestamptz)`,
    [session.id, session.zoneId, session.applicationId, seat, session.spawnedAt ?? new Date().toISOString()],
  );
}

/** A well-formed agent session id whose time part orders it (ids sort by creation time). */
export const sessionIdAt = (order: number, tag = 'a'): string =>
  `agentsess_01jz${String(order).padStart(6, '0')}${tag.repeat(16).slice(0, 16)}`;

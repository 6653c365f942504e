import type { Queryable } from '../../db/database.ts';

/** Timeline events deleted per statement, so one run never holds a huge delete open. */
const CHUNK = 5000;

/**
 * The timeline's retention (`CARACAL_TIMELINE_RETENTION_DAYS`): deletes every event the server
 * recorded before `olderThan`, whatever its session's state, in chunks. Returns how many.
 */
export async function deleteExpiredTimelineEvents(database: Queryable, olderThan: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const result = await database.query(
      `DELETE FROM session_events WHERE id IN (
         SELECT id FROM session_events WHERE recorded_at < $1::timestamptz ORDER BY recorded_at LIMIT $2)`,
      [olderThan.toISOString(), CHUNK],
    );
    total += result.rowCount;
    if (result.rowCount < CHUNK) return total;
  }
}

import type { Queryable } from '../../src/db/database.ts';

/** One timeline record as a test compares it. */
export interface TimelineFact {
  event_type: string;
  source: string;
  application_id: string;
  details: Record<string, unknown>;
}

/** A session's timeline in server order, read from the table itself. */
export async function timelineFacts(database: Queryable, sessionId: string): Promise<TimelineFact[]> {
  const { rows } = await database.query<TimelineFact>(
    'SELECT event_type, source, application_id, details FROM session_events WHERE session_id = $1 ORDER BY id',
    [sessionId],
  );
  return rows;
}

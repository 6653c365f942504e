import type { Database } from '../../db/database.ts';
import { wakeOutboxPublishers } from './outbox-wakeup-repository.ts';

/**
 * Runs a sweeper's statement: `$1` is the sweep time and the statement answers how many rows it
 * changed as `count`. Each change enqueued an event, so any change wakes the outbox publishers.
 */
export async function runSweep(database: Database, sql: string, now: Date): Promise<number> {
  const result = await database.query<{ count: number }>(sql, [now.toISOString()]);
  const count = result.rows[0]!.count;
  if (count > 0) wakeOutboxPublishers(database);
  return count;
}

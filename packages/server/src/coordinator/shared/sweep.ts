import type { Database } from '../../db/database.ts';
import type { Topic } from '../../events/topics.ts';
import { wakeOutboxPublishers } from './outbox-wakeup-repository.ts';

/** What a sweeper changes, and the event each changed row enqueues. */
export interface Sweep {
  /**
   * The `WITH` clauses (without `WITH`); the last, named `changed`, answers each changed row with its
   * `zone_id`. `$1` is the sweep time.
   */
  changes: string;
  topic: Topic;
  eventType: string;
  /** The `jsonb_build_object` pairs of the event payload, from `changed`'s columns; the sweep time is added as `at`. */
  payload: string;
}

/**
 * Runs a sweeper's statement in one round trip: the change, one outbox event per changed row,
 * and how many rows it changed. Any change wakes the outbox publishers.
 */
export async function runSweep(database: Database, sweep: Sweep, now: Date): Promise<number> {
  const result = await database.query<{ count: number }>(
    `WITH ${sweep.changes},
     events AS (
       INSERT INTO caracal_outbox (topic, event_type, zone_id, payload)
       SELECT '${sweep.topic}', '${sweep.eventType}', zone_id, jsonb_build_object(${sweep.payload}, 'at', $1::timestamptz)
       FROM changed RETURNING id)
     SELECT (SELECT count(*) FROM changed)::int AS count`,
    [now.toISOString()],
  );
  const count = result.rows[0]!.count;
  if (count > 0) wakeOutboxPublishers(database);
  return count;
}

import { runCreationCtes, type RunFields } from '../runs/run-creation-sql.ts';
import type { SqlParameters } from '../shared/sql-parameters.ts';

/** The CTE holding the run a spawn writes with its session (RETURNING the `runs` row). */
export const SPAWN_RUN_CTE = 'spawn_run';

/**
 * The CTEs of a `start_session` run written by its session's spawn statement: the run of the new
 * `session`, created at the spawn's time `spawnedAt`. The `run_created` fact waits for every row
 * the spawn writes to the outbox and the timeline, read in the order the spawn's own CTEs run in
 * today (session change, its facts' feed, lifecycle events), so the timeline and the feeds show
 * the run after its session's spawn, as when the run was a statement of its own.
 */
export function spawnRunCtes(p: SqlParameters, run: RunFields, spawnedAt: string): string[] {
  const spawnWritten = `(SELECT count(*) FROM (
      SELECT 1 FROM spawn_change UNION ALL SELECT 1 FROM spawn_facts_feed UNION ALL SELECT 1 FROM events) AS written) > 0`;
  return runCreationCtes(p, SPAWN_RUN_CTE, run, { sessionId: 'session.id', at: spawnedAt, from: 'session', after: spawnWritten });
}


import { runCreation, type RunCreationWrites, type RunFields } from '../runs/run-creation-sql.ts';
import type { SqlParameters } from '../shared/sql-parameters.ts';

/** The CTE holding the run a spawn writes with its session (RETURNING the `runs` row). */
export const SPAWN_RUN_CTE = 'spawn_run';

/**
 * The writes of a `start_session` run by its session's spawn statement: the run of the new
 * `session`, created at the spawn's time `spawnedAt`. The `run_created` fact waits for every fact
 * the spawn records (CTE `facts`), so the timeline shows the run after its session's spawn, as
 * when the run was a statement of its own; the spawn's outbox insert writes the fact's row last.
 */
export function spawnRunWrites(p: SqlParameters, run: RunFields, spawnedAt: string, facts: string): RunCreationWrites {
  const spawnRecorded = `(SELECT count(*) FROM ${facts}) > 0`;
  return runCreation(p, SPAWN_RUN_CTE, run, { sessionId: 'session.id', at: spawnedAt, from: 'session', after: spawnRecorded });
}

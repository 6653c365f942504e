import { runCreationParts, type RunCreationParts, type RunFields } from '../runs/run-creation-sql.ts';
import type { SqlParameters } from '../shared/sql-parameters.ts';

/** The CTE holding the run a spawn writes with its session (RETURNING the `runs` row). */
export const SPAWN_RUN_CTE = 'spawn_run';

/**
 * A `start_session` run written by its session's spawn statement: the run of the new `session`,
 * created at the spawn's time `spawnedAt`. Its `run_created` fact is recorded with the spawn's own
 * facts, after them (`position`), so the timeline shows the run after its session's spawn, as
 * when the run was a statement of its own.
 */
export function spawnRunParts(p: SqlParameters, run: RunFields, spawnedAt: string, position: number): RunCreationParts {
  const { insert, facts } = runCreationParts(p, SPAWN_RUN_CTE, run, { sessionId: 'session.id', at: spawnedAt, from: 'session' });
  return {
    insert,
    facts: `SELECT created.zone_id, created.session_id, created.application_id, created.event_type, created.details,
        created.recorded_at, ${position} AS position, created.run_id FROM (${facts}) AS created`,
  };
}

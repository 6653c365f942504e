import { TERMINAL_RUN_STATUSES } from '@caracal/protocol';
import type { Principal } from '../../auth/principal.ts';
import type { Database } from '../../db/database.ts';
import { moveParameters, moveStatement, sessionRunStatusOf, type RunMove } from '../runs/run-moves.ts';
import type { RunRow } from '../runs/run-row.ts';
import { statesMovableTo } from '../runs/run-transitions.ts';
import { sessionRunStatusUpdate } from '../runs/session-run-status.ts';
import { retryingConcurrentChanges } from '../shared/concurrent-change.ts';
import { refusing } from '../shared/database-errors.ts';
import { sessionChangeCte } from '../timeline/seed-session-sql.ts';
import { endingRunStatement } from './ending-run-statement.ts';

/**
 * A runner's report (`started`, `completed`) applied with every check in the UPDATE's WHERE: the
 * runner is the caller's, the run is of its zone (and its application, unless it serves the
 * zone), the runner holds it, and the machine allows the move. The row lock is held for one
 * statement, not across round trips: these two moves are the hot path of dispatch. Each is one
 * autocommitted statement: `started` also sets its session's run status, `completed` also
 * terminates its session (endingRunStatement). Answers undefined, having written nothing, when a
 * check fails: the caller then takes the locked path, which names the refusal (404, 403 `not_run_owner`, 409
 * `invalid_transition`), or moves the run should it have changed meanwhile.
 */
export async function moveHeldRun(
  database: Database,
  principal: Principal,
  report: { runId: string; runnerId: string; move: RunMove; now: number },
): Promise<RunRow | undefined> {
  const { move, now } = report;
  // A failure also goes to the seed feeds, a stop is rare: both keep the locked path.
  const sessionStatus = move.to === 'running' || move.to === 'completed' ? sessionRunStatusOf(move) : undefined;
  if (sessionStatus === undefined) return undefined;
  const parameters = [
    ...moveParameters(report.runId, move, now),
    statesMovableTo(move.to, move.mover ?? 'api'),
    report.runnerId,
    principal.zoneId,
    principal.admin,
    principal.clientId,
    sessionStatus,
  ];
  const where = `WHERE id = $1 AND status = ANY ($10::text[]) AND runner_id = $11
    AND EXISTS (SELECT 1 FROM runners n WHERE n.id = $11 AND n.zone_id = $12 AND ($13::boolean OR n.application_id = $14)
      AND n.zone_id = runs.zone_id AND (n.serves_zone OR n.application_id = runs.application_id))`;
  if (!TERMINAL_RUN_STATUSES.includes(sessionStatus)) {
    const update = sessionRunStatusUpdate({ session: '(SELECT session_id FROM moved)', runStatus: '$15::text', resumed: 'false', now: '$3', agentName: 'NULL', projectDir: 'NULL' });
    const statement = moveStatement(where, '', [`session_moved AS (${update})`, sessionChangeCte('session_changes', 'session_updated', 'SELECT * FROM session_moved')]);
    const { rows } = await database.query<RunRow>(statement, parameters, { prepare: true });
    return rows[0];
  }
  // Retried when the termination meets a concurrent change of the subtree (a DELETE racing it).
  return retryingConcurrentChanges(async () => {
    const { rows } = await refusing(database.query<RunRow>(endingRunStatement(where, '$15::text'), parameters, { prepare: true }));
    return rows[0];
  });
}

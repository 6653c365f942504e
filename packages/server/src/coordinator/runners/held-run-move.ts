import { TERMINAL_RUN_STATUSES } from '@caracal/protocol';
import type { Principal } from '../../auth/principal.ts';
import type { Database } from '../../db/database.ts';
import { moveParameters, sessionRunStatusOf, type RunMove } from '../runs/run-moves.ts';
import type { RunRow } from '../runs/run-row.ts';
import { statesMovableTo } from '../runs/run-transitions.ts';
import { retryingConcurrentChanges } from '../shared/concurrent-change.ts';
import { refusing } from '../shared/database-errors.ts';
import { endingRunStatement } from './ending-run-statement.ts';
import { heldRunChecks } from './held-run-checks-sql.ts';
import { startedGroupOf } from './started-group.ts';

/**
 * A runner's report (`started`, `completed`) applied with every check in the UPDATE's WHERE: the
 * runner is the caller's, the run is of its zone (and its application, unless it serves the
 * zone), the runner holds it, and the machine allows the move. The row lock is held for one
 * statement, not across round trips: these two moves are the hot path of dispatch. Each is one
 * autocommitted statement: `started` also sets its session's run status and shares its statement
 * with the other reports in flight (StartedGroup), `completed` also terminates its session
 * (endingRunStatement). Answers undefined, having written nothing, when a
 * check fails: the caller then takes the locked path, which names the refusal (404, 403 `not_run_owner`, 409
 * `invalid_transition`), or moves the run should it have changed meanwhile.
 */
export async function moveHeldRun(
  database: Database,
  principal: Principal,
  report: { runId: string; runnerId: string; move: RunMove; now: number },
): Promise<RunRow | undefined> {
  const { move, now } = report;
  if (move.to === 'running') {
    // A `started` report (no error, by a runner through the API) goes with the others in flight.
    if (move.error !== undefined || (move.mover ?? 'api') !== 'api') return undefined;
    const caller = { zoneId: principal.zoneId, admin: principal.admin, clientId: principal.clientId };
    return startedGroupOf(database).move({ runId: report.runId, runnerId: report.runnerId, ...caller, now, reason: move.reason });
  }
  // Only a completed run that ends its session has a statement of its own here. A completed run
  // whose session stays (`idle`), a failure (it also goes to the seed feeds) and a stop (rare)
  // keep the locked path.
  const sessionStatus = move.to === 'completed' ? sessionRunStatusOf(move) : undefined;
  if (sessionStatus === undefined || !TERMINAL_RUN_STATUSES.includes(sessionStatus)) return undefined;
  const parameters = [
    ...moveParameters(report.runId, move, now),
    statesMovableTo(move.to, move.mover ?? 'api'),
    report.runnerId,
    principal.zoneId,
    principal.admin,
    principal.clientId,
    sessionStatus,
  ];
  const where = heldRunChecks({ run: '$1', runner: '$11', zone: '$12', admin: '$13::boolean', client: '$14' });
  // Retried when the termination meets a concurrent change of the subtree (a DELETE racing it).
  return retryingConcurrentChanges(async () => {
    const { rows } = await refusing(database.query<RunRow>(endingRunStatement(where, '$15::text'), parameters, { prepare: true }));
    return rows[0];
  });
}

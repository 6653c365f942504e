import { TERMINAL_RUN_STATUSES } from '@caracal/protocol';
import type { Principal } from '../../auth/principal.ts';
import type { Database } from '../../db/database.ts';
import type { RunMove } from '../runs/run-moves.ts';
import type { RunRow } from '../runs/run-row.ts';
import { completedGroupOf } from './completed-group.ts';
import { startedGroupOf } from './started-group.ts';

/**
 * A runner's report (`started`, `completed`) applied with every check in the UPDATE's WHERE: the
 * runner is the caller's, the run is of its zone (and its application, unless it serves the
 * zone), the runner holds it, and the machine allows the move. The row lock is held for one
 * statement, not across round trips: these two moves are the hot path of dispatch. Each is one
 * autocommitted statement shared with the other reports of its kind in flight: `started` also
 * sets its session's run status (StartedGroup), `completed` also terminates its session
 * (CompletedGroup). Answers undefined, having written nothing, when a check fails: the caller
 * then takes the locked path, which names the refusal (404, 403 `not_run_owner`, 409
 * `invalid_transition`), or moves the run should it have changed meanwhile.
 */
export async function moveHeldRun(
  database: Database,
  principal: Principal,
  report: { runId: string; runnerId: string; move: RunMove; now: number },
): Promise<RunRow | undefined> {
  const { move, now } = report;
  // Only moves by a runner through the API (no error) go here.
  if (move.error !== undefined || (move.mover ?? 'api') !== 'api') return undefined;
  const held = { runId: report.runId, runnerId: report.runnerId, zoneId: principal.zoneId, admin: principal.admin, clientId: principal.clientId };
  if (move.to === 'running') return startedGroupOf(database).move({ ...held, now, reason: move.reason });
  // Only a completed run that ends its session goes with the others in flight. A completed run
  // whose session stays (`idle`), a failure (it also goes to the seed feeds) and a stop (rare)
  // keep the locked path.
  if (move.to !== 'completed') return undefined;
  const sessionStatus = move.sessionStatus ?? 'finished';
  if (!TERMINAL_RUN_STATUSES.includes(sessionStatus)) return undefined;
  return completedGroupOf(database).move({ ...held, now, reason: move.reason, result: move.result, sessionStatus });
}

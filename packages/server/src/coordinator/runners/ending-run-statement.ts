import { MOVE_FACTS, movedCte } from '../runs/run-moves.ts';
import { sessionRunStatusUpdate } from '../runs/session-run-status.ts';
import { terminationCtes } from '../sessions/termination-sql.ts';
import { sessionChangeCte } from '../timeline/seed-session-sql.ts';

/**
 * One statement that ends a run (the row `where` picks, with moveParameters' placeholders) and, as
 * a terminal run status does, terminates its session's subtree: the move, its fact, the session's
 * run status and the whole termination commit together in one round trip, no row lock held
 * across round trips (a runner's `completed` is the hot path of dispatch). The termination is
 * driven by `moved`: when no row moves, no session ends and nothing at all is written. The
 * session takes `sessionStatus` (SQL) as its run status; its run's fact comes first on the
 * timelines. May refuse with `concurrent_change` (see terminationCtes): retry.
 */
export function endingRunStatement(where: string, sessionStatus: string): string {
  const termination = terminationCtes({
    roots: 'SELECT session_id FROM moved',
    now: '$3::timestamptz',
    reason: '$8::text',
    endedRun: { ids: 'SELECT id FROM moved', rootsRunStatus: sessionStatus, facts: MOVE_FACTS },
  });
  // A session whose authority had already ended (the termination skips it) has its run status set
  // all the same, and the seed feeds told. Never the one the termination ends (a row is updated
  // once per statement). Placed before the termination's CTEs so its feed entry follows the
  // run's fact, as when these were separate statements.
  const alreadyEnded = sessionRunStatusUpdate({
    session: '(SELECT session_id FROM moved WHERE session_id <> ALL (ARRAY(SELECT id FROM terminated)))',
    runStatus: sessionStatus,
    resumed: 'false',
    now: '$3',
    agentName: 'NULL',
    projectDir: 'NULL',
  });
  return `WITH RECURSIVE ${movedCte(where)},
    already_ended AS (${alreadyEnded}),
    ${sessionChangeCte('already_ended_changes', 'session_updated', 'SELECT * FROM already_ended')},
    ${termination.join(',\n')}
    SELECT moved.* FROM moved`;
}

import { moveFacts, movedCte, type MoveSlots } from '../runs/run-moves.ts';
import { sessionRunStatusUpdate } from '../runs/session-run-status.ts';
import { terminationCtes } from '../sessions/termination-sql.ts';
import { sessionChangeRows } from '../timeline/seed-session-sql.ts';

/** What endingRunStatement is assembled from. */
export interface EndingRunParts {
  /** The WHERE (and FROM) of the runs' update, with moveParameters' placeholders. */
  where: string;
  /** CTEs before the update, each followed by a comma (a group's input). */
  with: string;
  /** Where each run's own values come from (a group's input columns). */
  slots: MoveSlots;
  /** SQL of the run status the sessions take. */
  sessionStatus: string;
  /** SQL of the termination's time (timestamptz) and of its reason (text). */
  now: string;
  reason: string;
}

/**
 * One statement that ends runs (the rows `where` picks, with moveParameters' placeholders) and, as
 * a terminal run status does, terminates their sessions' subtrees: the moves, their facts, the
 * sessions' run status and the whole termination commit together in one round trip, no row lock
 * held across round trips (a runner's `completed` is the hot path of dispatch). The termination
 * is driven by `moved`: when no row moves, no session ends and nothing at all is written. Each
 * session takes `sessionStatus` as its run status; the runs' facts come first on the timelines,
 * in their order. May refuse with `concurrent_change` (see terminationCtes): retry.
 */
export function endingRunStatement(parts: EndingRunParts): string {
  // A session whose authority had already ended (the termination skips it) has its run status set
  // all the same, and the seed feeds told (in the termination's one outbox insert, last: after
  // its run's fact, as when these were separate statements). Never the one the termination ends
  // (a row is updated once per statement).
  const termination = terminationCtes({
    roots: 'SELECT session_id FROM moved',
    now: parts.now,
    reason: parts.reason,
    endedRun: { ids: 'SELECT id FROM moved', rootsRunStatus: parts.sessionStatus, facts: moveFacts(parts.slots) },
    alsoWrite: [sessionChangeRows('session_updated', 'SELECT * FROM already_ended')],
  });
  const alreadyEnded = sessionRunStatusUpdate({
    session: 'ANY (ARRAY(SELECT session_id FROM moved WHERE session_id <> ALL (ARRAY(SELECT id FROM terminated))))',
    runStatus: parts.sessionStatus,
    resumed: 'false',
    now: parts.now,
    agentName: 'NULL',
    projectDir: 'NULL',
  });
  return `WITH RECURSIVE ${parts.with}
    ${movedCte(parts.where, parts.slots)},
    already_ended AS (${alreadyEnded}),
    ${termination.join(',\n')}
    SELECT moved.* FROM moved`;
}

import type { CompletedSessionStatus, RunState, RunStatus } from '@caracal/protocol';
import type { Database, Transaction } from '../../db/database.ts';
import { notFound } from '../../http/server-error.ts';
import { retryingConcurrentChanges } from '../shared/concurrent-change.ts';
import { outboxInsertCte, type OutboxRows } from '../../events/outbox-rows-sql.ts';
import { timelineFacts } from '../../events/timeline-facts-sql.ts';
import { announceRun } from './run-announcement.ts';
import { recordRunFailure, runEventOf } from './run-facts.ts';
import type { RunRow } from './run-row.ts';
import { assertAllowedMove, type RunMover } from './run-transitions.ts';
import { setSessionRunStatus } from './session-run-status.ts';

/** One move of a run through its state machine, and what the move records. */
export interface RunMove {
  to: RunState;
  /** Default `api`: only the public moves. */
  mover?: RunMover;
  /** The runner that claims (`claimed`). */
  runnerId?: string;
  error?: string;
  result?: unknown;
  /** How a completed run leaves its session. @default 'finished' */
  sessionStatus?: CompletedSessionStatus;
  /** Why, on the timeline and in a termination it causes. */
  reason: string;
  /**
   * The server fails a running run because it took its runner for lost: a runner alive after all
   * is told to let go of it at its next heartbeat (runner-service.ts heartbeat).
   */
  runnerLost?: boolean;
}

/** What the session's run status becomes when its run reaches each state (unchanged: undefined). */
export function sessionRunStatusOf(move: RunMove): RunStatus | undefined {
  switch (move.to) {
    case 'running':
      return 'running';
    case 'completed':
      return move.sessionStatus ?? 'finished';
    case 'failed':
    case 'stopping':
    case 'stopped':
      return move.to;
    default:
      return undefined;
  }
}

/**
 * Moves a run locked by the caller's transaction: checks the move against the machine (409
 * `invalid_transition`), updates the row, writes the fact on the session's timeline, keeps the
 * session's run status in step (a terminal one terminates the session). Returns the row as
 * moved; once the transaction commits, the caller announces it (announceRun).
 */
export async function applyRunMove(transaction: Transaction, run: RunRow, move: RunMove, now: number): Promise<RunRow> {
  assertAllowedMove(run.id, run.status, move.to, move.mover);
  const { rows } = await transaction.query<RunRow>(moveStatement('WHERE id = $1'), moveParameters(run.id, move, now), { prepare: true });
  const moved = move.runnerLost === true ? await markRunnerLost(transaction, rows[0]!, now) : rows[0]!;
  if (moved.status === 'failed') await recordRunFailure(transaction, moved);
  const sessionStatus = sessionRunStatusOf(move);
  if (sessionStatus !== undefined) {
    await setSessionRunStatus(transaction, { sessionId: run.session_id, runStatus: sessionStatus, now, reason: move.reason });
  }
  return moved;
}

/** A statement of its own, off the hot path: only a release fails a running run this way. */
async function markRunnerLost(transaction: Transaction, run: RunRow, now: number): Promise<RunRow> {
  const { rows } = await transaction.query<RunRow>('UPDATE runs SET runner_lost_at = $2::timestamptz WHERE id = $1 RETURNING *', [run.id, new Date(now).toISOString()]);
  return rows[0]!;
}

/**
 * The parameters of moveStatement: $1 the run (or, for a claim, what picks it), $2 the new state,
 * $3 the time, $4 the claiming runner, $5 the error, $6 the result, $7 the session status, $8 the
 * reason, $9 the timeline event.
 */
export function moveParameters(first: unknown, move: RunMove, now: number): unknown[] {
  return moveParameterList(first, move, new Date(now).toISOString(), move.reason);
}

/**
 * moveParameters of a group of moves alike but for their runs, times, reasons and, when the moves
 * carry them, results (a set-valued moveStatement, MOVE_GROUP_SLOTS): $1, $3, $8 (and then $6)
 * are arrays, one element per move, that the statement's input unnests.
 */
export function groupMoveParameters(
  move: Omit<RunMove, 'reason' | 'result'>,
  moves: ReadonlyArray<{ runId: string; now: number; reason: string; result?: unknown }>,
  options: { resultPerMove?: boolean } = {},
): unknown[] {
  const times = moves.map((each) => new Date(each.now).toISOString());
  const result = options.resultPerMove === true ? moves.map((each) => jsonOrNull(each.result)) : null;
  return moveParameterList(moves.map((each) => each.runId), move, times, moves.map((each) => each.reason), result);
}

function jsonOrNull(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

function moveParameterList(first: unknown, move: Omit<RunMove, 'reason'>, now: unknown, reason: unknown, result: unknown = jsonOrNull(move.result)): unknown[] {
  return [
    first,
    move.to,
    now,
    move.runnerId ?? null,
    move.error ?? null,
    result,
    move.to === 'completed' ? (move.sessionStatus ?? 'finished') : null,
    reason,
    runEventOf(move.to),
  ];
}

/** Where a move's own values come from in moveStatement's SQL. */
export interface MoveSlots {
  /** Its time (timestamptz). */
  now: string;
  /** Why (text). */
  reason: string;
  /** Its fact's place among the statement's facts. */
  position: string;
  /** A completed run's result (jsonb). */
  result: string;
  /** The claiming runner (text). @default '$4' */
  runner?: string;
}

/** One move: moveParameters' placeholders. */
const ONE_MOVE: MoveSlots = { now: '$3', reason: '$8', position: '0', result: '$6::jsonb' };

/**
 * A group of moves (groupMoveParameters): columns of the statement's input, which the update
 * joins (`FROM`) so `moved` carries them: `item_now`, `item_reason`, and `item_ordinal`, the
 * move's place in the group, which orders the facts. One result for all (`$6`): a group of
 * completed moves names each one's (`item_result`) instead.
 */
export const MOVE_GROUP_SLOTS: MoveSlots = { now: 'item_now', reason: 'item_reason', position: 'item_ordinal', result: '$6::jsonb' };

/**
 * CTE `moved`: the update of the run the row `where` picks (already checked against the
 * machine), with moveParameters' placeholders.
 */
export function movedCte(where: string, slots: MoveSlots = ONE_MOVE): string {
  return `moved AS (
      UPDATE runs SET
        status = $2,
        updated_at = ${slots.now}::timestamptz,
        runner_id = CASE WHEN $2 = 'pending' THEN NULL WHEN $2 = 'claimed' THEN ${slots.runner ?? '$4'} ELSE runner_id END,
        pending_since = CASE WHEN $2 = 'pending' THEN ${slots.now}::timestamptz ELSE pending_since END,
        claimed_at = CASE WHEN $2 = 'pending' THEN NULL WHEN $2 = 'claimed' THEN ${slots.now}::timestamptz ELSE claimed_at END,
        started_at = CASE WHEN $2 = 'running' THEN ${slots.now}::timestamptz ELSE started_at END,
        completed_at = CASE WHEN $2 IN ('completed', 'failed', 'stopped') THEN ${slots.now}::timestamptz ELSE completed_at END,
        stop_signalled_at = CASE WHEN $2 = 'pending' THEN NULL ELSE stop_signalled_at END,
        error = coalesce($5, error),
        result = CASE WHEN $2 = 'completed' THEN ${slots.result} ELSE result END,
        session_status = CASE WHEN $2 = 'completed' THEN $7 ELSE session_status END
      ${where} RETURNING *)`;
}

/**
 * The fact a move records on its session's timeline, one per row of `moved` (the columns of
 * timelineFactCtes with `run_id`, and `position`), its values where `slots` says: exported so a
 * statement that writes more facts records these in the same ordered insert.
 */
export function moveFacts(slots: MoveSlots): string {
  return `SELECT zone_id, session_id, application_id, $9::text AS event_type, ${slots.now}::timestamptz AS recorded_at, id AS run_id, ${slots.position} AS position,
      jsonb_build_object('status', status, 'runner_id', runner_id) || CASE WHEN error IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('error', error) END
        || jsonb_build_object('reason', ${slots.reason}::text) AS details
    FROM moved`;
}

/** What moveStatement adds around a run's move. */
export interface MoveStatementParts {
  /** CTEs before the update, each followed by a comma (a claim picks its run there). */
  with?: string;
  /** CTEs after it that read `moved` (a runner's report sets its session's run status there). */
  after?: readonly string[];
  /** Outbox rows written after the move's feed, in the statement's one outbox insert. */
  alsoWrite?: readonly OutboxRows[];
  /** What the statement answers (a runner's poll answers its runner and stop orders beside the claimed run). */
  select?: string;
  /** A group's columns (MOVE_GROUP_SLOTS) when `where` joins many moves' input. */
  slots?: MoveSlots;
}

/**
 * One statement that moves a run (the row `where` picks, already checked against the machine):
 * updates it and writes its fact on the session's timeline (source coordinator, `run_id` set)
 * with the outbox row of the feeds. One round trip where there were five: a run's moves are the
 * hot path of dispatch. No NOTIFY: the caller announces the move after its commit (announceRun).
 * Its outbox rows go through one INSERT (outbox-rows-sql.ts).
 */
export function moveStatement(where: string, parts: MoveStatementParts = {}): string {
  const slots = parts.slots ?? ONE_MOVE;
  const facts = timelineFacts('move_facts', { source: 'coordinator', facts: moveFacts(slots), orderBy: 'fact.position', withRunId: true });
  return `WITH ${parts.with ?? ''}
    ${movedCte(where, slots)},
    ${[facts.cte, ...(parts.after ?? []), outboxInsertCte('move_outbox', [facts.feed, ...(parts.alsoWrite ?? [])])].join(',\n')}
    ${parts.select ?? 'SELECT moved.* FROM moved'}`;
}

/** Reads and locks a run for a move (undefined when there is none). */
export async function lockRun(transaction: Transaction, runId: string): Promise<RunRow | undefined> {
  const { rows } = await transaction.query<RunRow>('SELECT * FROM runs WHERE id = $1 FOR UPDATE', [runId], { prepare: true });
  return rows[0];
}

/**
 * Moves one run in its own transaction: `decide` sees the locked row and answers the move (or
 * throws: 404 for a run the caller may not see, 403 for another runner's), or undefined to leave
 * it as it is. Retried when a termination it causes meets a concurrent change. The move is
 * announced once committed.
 */
export async function moveRun(
  database: Database,
  runId: string,
  now: () => number,
  decide: (run: RunRow) => RunMove | undefined,
): Promise<RunRow | undefined> {
  return moveLockedRun(database, { runId, now, lock: lockRun, decide });
}

/**
 * moveRun with the caller's `lock`, which reads the run FOR UPDATE together with what `decide`
 * needs beside it (a runner's report reads its runner in the same statement), or answers
 * undefined for a run it cannot find (404 unless `lock` throws its own).
 */
export async function moveLockedRun<Locked extends RunRow>(
  database: Database,
  move: {
    runId: string;
    now: () => number;
    lock: (transaction: Transaction, runId: string) => Promise<Locked | undefined>;
    decide: (run: Locked) => RunMove | undefined;
  },
): Promise<RunRow | undefined> {
  const moved = await retryingConcurrentChanges(() =>
    database.transaction(async (transaction) => {
      const run = await move.lock(transaction, move.runId);
      if (run === undefined) throw notFound(`run ${move.runId} not found`);
      const decided = move.decide(run);
      return decided === undefined ? undefined : applyRunMove(transaction, run, decided, move.now());
    }),
  );
  if (moved !== undefined) await announceRun(database, moved);
  return moved;
}

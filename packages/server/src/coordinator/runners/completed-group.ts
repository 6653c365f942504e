import type { CompletedSessionStatus } from '@caracal/protocol';
import type { Database } from '../../db/database.ts';
import { perDatabase } from '../../db/per-database.ts';
import { GroupCommit } from '../../db/group-commit.ts';
import { groupMoveParameters, MOVE_GROUP_SLOTS } from '../runs/run-moves.ts';
import type { RunRow } from '../runs/run-row.ts';
import { statesMovableTo } from '../runs/run-transitions.ts';
import { retryingConcurrentChanges } from '../shared/concurrent-change.ts';
import { refusing } from '../shared/database-errors.ts';
import { endingRunStatement } from './ending-run-statement.ts';
import { groupCallerParameters, movedByReport, type GroupedReport } from './group-input-row.ts';
import { heldRunChecks } from './held-run-checks-sql.ts';

/** A runner's `completed` report that ends its session, with its caller. */
export interface CompletedReport extends GroupedReport {
  runId: string;
  now: number;
  reason: string;
  result: unknown;
  /** The run status its session takes: a terminal one, which ends the session. */
  sessionStatus: CompletedSessionStatus;
}

/** Statements in flight at once: reports arriving meanwhile wait and go together in the next. */
const MAX_IN_FLIGHT = 2;

/** The columns of the reports' input, which a moved row carries beside the run's. */
const INPUT_COLUMNS = [
  'item_run',
  'item_now',
  'item_reason',
  'item_ordinal',
  'item_runner',
  'item_zone',
  'item_admin',
  'item_client',
  'item_result',
] as const;

/**
 * The reports' input: one row per report (`item_ordinal` its place in the group), one per run
 * (the first report of a run named twice; the other then takes the locked path).
 */
const INPUT = `input AS (
    SELECT DISTINCT ON (item_run) * FROM unnest($1::text[], $3::timestamptz[], $8::text[], $11::int[], $12::text[], $13::text[], $14::boolean[], $15::text[], $6::text[])
      AS item (${INPUT_COLUMNS.join(', ')})
    ORDER BY item_run, item_ordinal),`;

/**
 * The group's one statement: every run whose report passes the held-run checks completes with
 * its own time and result, its fact first on its session's timeline (the facts ordered by the
 * reports' places), and every such run's session subtree ends, at the latest of their times, with
 * the group's reason (`$16`); the sessions take the group's run status (`$7`). Each moved row names its
 * report (`item_ordinal`).
 */
const COMPLETED_STATEMENT = endingRunStatement({
  where: heldRunChecks({ run: 'item_run', runner: 'item_runner', zone: 'item_zone', admin: 'item_admin', client: 'item_client' }, 'FROM input '),
  with: INPUT,
  slots: { ...MOVE_GROUP_SLOTS, result: 'item_result::jsonb' },
  sessionStatus: '$7::text',
  now: '(SELECT max(item_now) FROM moved)',
  reason: '$16::text',
});

/**
 * Writes runners' `completed` reports that end their sessions with group commit (GroupCommit):
 * the reports in flight at once share one autocommitted statement (one plan, one round trip, one
 * commit) instead of paying one each, the termination's being the largest statement of a run.
 * Reports group with those of the same reason and session status, which the termination records.
 * Each run completes at its report's time; the sessions end at the latest time of the runs the
 * group completes (the group commits once, after all of them). A report answers its run as moved, or undefined,
 * having written nothing, when its run did not move (a check failed, or the run was named twice):
 * the caller then takes the locked path, which names the refusal. A termination meeting a
 * concurrent change of a subtree is retried with a fresh snapshot (retryingConcurrentChanges),
 * as the group and, should the group still fail, as each report alone.
 */
export class CompletedGroup {
  readonly #database: Database;
  readonly #groups = new Map<string, GroupCommit<CompletedReport, RunRow | undefined>>();

  constructor(database: Database) {
    this.#database = database;
  }

  /** Completes the report's run and ends its session with the others of its group. */
  move(report: CompletedReport): Promise<RunRow | undefined> {
    const key = `${report.sessionStatus}\u0000${report.reason}`;
    let group = this.#groups.get(key);
    if (group === undefined) {
      group = new GroupCommit((reports) => this.#move(reports), { maxInFlight: MAX_IN_FLIGHT });
      this.#groups.set(key, group);
    }
    return group.submit(report);
  }

  async #move(reports: readonly CompletedReport[]): Promise<Array<RunRow | undefined>> {
    const first = reports[0]!;
    // $6, the result, is one per report: the input's `item_result`.
    const parameters = [
      ...groupMoveParameters({ to: 'completed', sessionStatus: first.sessionStatus }, reports, { resultPerMove: true }),
      statesMovableTo('completed', 'api'),
      ...groupCallerParameters(reports),
      first.reason,
    ];
    const { rows } = await retryingConcurrentChanges(() =>
      refusing(this.#database.query<RunRow>(COMPLETED_STATEMENT, parameters, { prepare: true })),
    );
    return movedByReport(rows, reports.length, INPUT_COLUMNS);
  }
}

const groupOf = perDatabase<CompletedGroup>();

/** The database's one CompletedGroup (reports to one database share its statements). */
export function completedGroupOf(database: Database): CompletedGroup {
  return groupOf(database, () => new CompletedGroup(database));
}

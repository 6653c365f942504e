import type { Database } from '../../db/database.ts';
import { perDatabase } from '../../db/per-database.ts';
import { GroupCommit } from '../../db/group-commit.ts';
import { groupMoveParameters, MOVE_GROUP_SLOTS, moveStatement, type RunMove } from '../runs/run-moves.ts';
import type { RunRow } from '../runs/run-row.ts';
import { statesMovableTo } from '../runs/run-transitions.ts';
import { sessionRunStatusUpdate } from '../runs/session-run-status.ts';
import { sessionChangeRows } from '../timeline/seed-session-sql.ts';
import { groupCallerParameters, movedByReport, type GroupedReport } from './group-input-row.ts';
import { heldRunChecks } from './held-run-checks-sql.ts';

/** A runner's `started` report on the run it holds, with its caller. */
export interface StartedReport extends GroupedReport {
  runId: string;
  now: number;
  reason: string;
}

/** Statements in flight at once: reports arriving meanwhile wait and go together in the next. */
const MAX_IN_FLIGHT = 2;

const STARTED: Omit<RunMove, 'reason'> = { to: 'running' };

/** The columns of the reports' input, which a moved row carries beside the run's. */
const INPUT_COLUMNS = ['item_run', 'item_now', 'item_reason', 'item_ordinal', 'item_runner', 'item_zone', 'item_admin', 'item_client'] as const;

/**
 * The reports' input: one row per report (`item_ordinal` its place in the group), one per run
 * (the first report of a run named twice; the other then takes the locked path).
 */
const INPUT = `input AS (
    SELECT DISTINCT ON (item_run) * FROM unnest($1::text[], $3::timestamptz[], $8::text[], $11::int[], $12::text[], $13::text[], $14::boolean[], $15::text[])
      AS item (${INPUT_COLUMNS.join(', ')})
    ORDER BY item_run, item_ordinal),`;

/**
 * The group's one statement: every run whose report passes the held-run checks moves to
 * `running`, with its fact (ordered by the reports' places), its session's run status and the
 * seed feeds' `session_updated`; each moved row names its report (`item_ordinal`).
 */
const STARTED_STATEMENT = moveStatement(
  heldRunChecks({ run: 'item_run', runner: 'item_runner', zone: 'item_zone', admin: 'item_admin', client: 'item_client' }, 'FROM input '),
  {
    with: INPUT,
    after: [
      `session_moved AS (${sessionRunStatusUpdate({ session: 'ANY (ARRAY(SELECT session_id FROM moved))', runStatus: '$16::text', resumed: 'false', now: 'NULL', agentName: 'NULL', projectDir: 'NULL' })})`,
    ],
    alsoWrite: [sessionChangeRows('session_updated', 'SELECT * FROM session_moved')],
    slots: MOVE_GROUP_SLOTS,
  },
);

/**
 * Writes runners' `started` reports with group commit (GroupCommit): the reports in flight at
 * once share one autocommitted statement (one round trip, one commit) instead of paying one
 * each. A report answers its run as moved, or undefined, having written nothing, when its run did
 * not move (a check failed, or the run was named twice): the caller then takes the locked path,
 * which names the refusal.
 */
export class StartedGroup {
  readonly #database: Database;
  readonly #group: GroupCommit<StartedReport, RunRow | undefined>;

  constructor(database: Database) {
    this.#database = database;
    this.#group = new GroupCommit((reports) => this.#move(reports), { maxInFlight: MAX_IN_FLIGHT });
  }

  /** Moves the report's run to `running` with the others of its group. */
  move(report: StartedReport): Promise<RunRow | undefined> {
    return this.#group.submit(report);
  }

  async #move(reports: readonly StartedReport[]): Promise<Array<RunRow | undefined>> {
    const parameters = [
      ...groupMoveParameters(STARTED, reports),
      statesMovableTo('running', 'api'),
      ...groupCallerParameters(reports),
      'running',
    ];
    const { rows } = await this.#database.query<RunRow>(STARTED_STATEMENT, parameters, { prepare: true });
    return movedByReport(rows, reports.length, INPUT_COLUMNS);
  }
}

const groupOf = perDatabase<StartedGroup>();

/** The database's one StartedGroup (reports to one database share its statements). */
export function startedGroupOf(database: Database): StartedGroup {
  return groupOf(database, () => new StartedGroup(database));
}

import type { Database } from '../../db/database.ts';
import { GroupCommit, placesBy } from '../../db/group-commit.ts';
import { perDatabase } from '../../db/per-database.ts';
import { runEventOf } from '../runs/run-facts.ts';
import { MOVE_GROUP_SLOTS, moveStatement } from '../runs/run-moves.ts';
import type { RunRow } from '../runs/run-row.ts';
import { CONCURRENT_CHANGE } from '../shared/concurrent-change.ts';
import type { LookResult, RunnerLook } from './runner-claim.ts';
import type { RunnerRow } from './runner-row.ts';

/** Statements in flight at once: looks arriving meanwhile wait and go together in the next. */
const MAX_IN_FLIGHT = 2;
/** Runners whose matching fields are remembered at most (then forgotten all at once). */
const REMEMBERED_RUNNERS = 10_000;

/** The columns a claimed row carries beside the run's (the group's assignment), left out of the answer. */
const ASSIGNMENT_COLUMNS = ['item_run', 'item_runner', 'item_now', 'item_reason', 'item_ordinal'] as const;

/**
 * The group's one statement ($1 the runners, $3 the looks' times, $8 their reasons, $10 the zone,
 * $11 each caller's application or NULL, $12 whether a look records the runner's sign of life, $13
 * the looks' places; the other slots are moveStatement's): every look does what a lone look does
 * (runner-claim.ts), and the runners that took no stop orders get the oldest pending runs they
 * serve, one each, in the looks' order. The runners must serve alike (their matching fields, all
 * read here): a group that holds runners serving differently raises `concurrent_change` and
 * writes nothing, and its looks go alone.
 */
const CLAIM_GROUP_STATEMENT = (() => {
  const criterion = (field: string): string => `(SELECT ${field} FROM criteria)`;
  const ctes = [
    `input AS (
      SELECT * FROM unnest($1::text[], $3::timestamptz[], $8::text[], $11::text[], $12::boolean[], $13::int[])
        AS item (item_runner, item_now, item_reason, item_application, item_touch, item_ordinal))`,
    // The runners as their callers may see them (of the zone; of the caller's application unless NULL).
    `polling_runner AS (
      SELECT to_jsonb(n) AS runner_json, n.id, n.serves_zone, n.application_id, n.blueprints, n.tags,
        item.item_ordinal, item.item_now, item.item_reason, item.item_touch
      FROM input AS item JOIN runners AS n
        ON n.id = item.item_runner AND n.zone_id = $10 AND (item.item_application IS NULL OR n.application_id = item.item_application))`,
    `touched AS (
      UPDATE runners SET last_heartbeat_at = greatest(runners.last_heartbeat_at, p.item_now), lapsed_at = NULL
      FROM polling_runner AS p
      WHERE runners.id = p.id AND p.item_touch
        AND (runners.lapsed_at IS NOT NULL OR runners.last_heartbeat_at < p.item_now - interval '1 second'))`,
    `stops AS (
      UPDATE runs SET stop_signalled_at = p.item_now FROM polling_runner AS p
      WHERE runs.runner_id = p.id AND runs.status = 'stopping' AND runs.stop_signalled_at IS NULL
      RETURNING runs.id, runs.session_id, p.id AS stopped_runner)`,
    // Stop orders come first: a runner that took some claims nothing in this look.
    `claimers AS (
      SELECT p.*, row_number() OVER (ORDER BY p.item_ordinal)::int AS claim_rank FROM polling_runner AS p
      WHERE NOT EXISTS (SELECT FROM stops WHERE stops.stopped_runner = p.id))`,
    `criteria AS (SELECT serves_zone, application_id, blueprints, tags FROM claimers ORDER BY claim_rank LIMIT 1)`,
    // As the lone look's pick (runner-look-sql.ts), for as many runs as claimers.
    `picked AS (
      SELECT pick.id, row_number() OVER (ORDER BY pick.pending_since, pick.id)::int AS claim_rank FROM (
        SELECT id, pending_since FROM runs
        WHERE zone_id = $10 AND status = 'pending' AND EXISTS (SELECT FROM criteria)
          AND (${criterion('serves_zone')} OR application_id = ${criterion('application_id')})
          AND ((cardinality(${criterion('blueprints')}) = 0 AND cardinality(${criterion('tags')}) = 0)
            OR agent_name = ANY (${criterion('blueprints')}::text[]) OR blueprint_tags && ${criterion('tags')})
        ORDER BY pending_since, id LIMIT (SELECT count(*) FROM claimers)
        FOR UPDATE SKIP LOCKED) AS pick)`,
    `assigned AS (
      SELECT picked.id AS item_run, claimers.id AS item_runner, claimers.item_now, claimers.item_reason, claimers.item_ordinal
      FROM picked JOIN claimers USING (claim_rank)),`,
  ];
  // Each run's runner comes from the assignment; $4 (moveStatement's one runner) is NULL and only typed here.
  return moveStatement('FROM assigned WHERE runs.id = assigned.item_run AND $4::text IS NULL', {
    with: ctes.join(',\n'),
    slots: { ...MOVE_GROUP_SLOTS, runner: 'item_runner' },
    select: `SELECT item.item_ordinal AS ordinal,
        (SELECT p.runner_json FROM polling_runner AS p WHERE p.item_ordinal = item.item_ordinal) AS runner,
        (SELECT jsonb_agg(jsonb_build_object('id', s.id, 'session_id', s.session_id)) FROM stops AS s WHERE s.stopped_runner = item.item_runner) AS stops,
        (SELECT to_jsonb(m) FROM moved AS m WHERE m.item_ordinal = item.item_ordinal) AS claimed,
        CASE WHEN (SELECT count(DISTINCT (serves_zone, application_id, blueprints, tags)) FROM claimers) > 1
          THEN coordinator_refuse(409, '${CONCURRENT_CHANGE}', 'the runners of a grouped look serve differently; each looks alone') END AS mixed
      FROM input AS item`,
  });
})();

/** What a runner's look matches runs by: looks of runners alike can share a pick. */
function servingKey(runner: Pick<RunnerRow, 'serves_zone' | 'application_id' | 'blueprints' | 'tags'>): string {
  return JSON.stringify([runner.serves_zone, runner.application_id, runner.blueprints, runner.tags]);
}

interface LookAnswer {
  ordinal: number;
  runner: RunnerRow | null;
  stops: LookResult['stops'] | null;
  claimed: (RunRow & Record<string, unknown>) | null;
}

/**
 * Runners' looks for work with group commit (GroupCommit): the looks in flight at once, of
 * runners that serve alike in one zone, share one autocommitted statement that hands each runner
 * its own run (one round trip and one commit for many claims). A runner is grouped once one of
 * its looks has shown how it serves (`remember`); until then, and whenever a group's statement
 * fails (it wrote nothing), its look goes alone (runner-claim.ts).
 */
export class ClaimGroup {
  readonly #database: Database;
  readonly #group: GroupCommit<RunnerLook, LookResult>;
  readonly #serving = new Map<string, string>();

  constructor(database: Database) {
    this.#database = database;
    this.#group = new GroupCommit((looks) => this.#look(looks), { maxInFlight: MAX_IN_FLIGHT, partition: (looks) => this.#partition(looks) });
  }

  /** Whether a look of this runner may go in a group (how it serves is known). */
  knows(runnerId: string): boolean {
    return this.#serving.has(runnerId);
  }

  /** Remembers how the runner a look read serves. */
  remember(runner: RunnerRow | undefined): void {
    if (runner === undefined) return;
    if (this.#serving.size >= REMEMBERED_RUNNERS) this.#serving.clear();
    this.#serving.set(runner.id, servingKey(runner));
  }

  /** One look, with the others of its group; rejects when it must be made alone. */
  look(look: RunnerLook): Promise<LookResult> {
    return this.#group.submit(look);
  }

  /** Looks of one zone and one way of serving go together, each runner once per statement. */
  #partition(looks: readonly RunnerLook[]): number[][] {
    const seen = new Map<string, number>();
    return placesBy(looks, (look) => {
      const occurrence = seen.get(look.runnerId) ?? 0;
      seen.set(look.runnerId, occurrence + 1);
      return JSON.stringify([look.zoneId, this.#serving.get(look.runnerId), occurrence]);
    });
  }

  async #look(looks: readonly RunnerLook[]): Promise<LookResult[]> {
    const claimed = runEventOf('claimed');
    const { rows } = await this.#database.query<LookAnswer>(
      CLAIM_GROUP_STATEMENT,
      [
        looks.map((look) => look.runnerId),
        'claimed',
        looks.map((look) => new Date(look.now).toISOString()),
        null,
        null,
        null,
        null,
        looks.map(() => 'claimed'),
        claimed,
        looks[0]!.zoneId,
        looks.map((look) => look.applicationId),
        looks.map((look) => look.touch),
        looks.map((_, ordinal) => ordinal),
      ],
      { prepare: true },
    );
    const byOrdinal = new Map(rows.map((row) => [Number(row.ordinal), row]));
    return looks.map((_, ordinal) => {
      const answer = byOrdinal.get(ordinal)!;
      this.remember(answer.runner ?? undefined);
      return {
        runner: answer.runner ?? undefined,
        stops: (answer.stops ?? []).sort((a, b) => a.id.localeCompare(b.id)),
        claimed: answer.claimed === null ? undefined : withoutAssignment(answer.claimed),
      };
    });
  }
}

function withoutAssignment(row: RunRow & Record<string, unknown>): RunRow {
  const run: Record<string, unknown> = { ...row };
  for (const column of ASSIGNMENT_COLUMNS) delete run[column];
  return run as unknown as RunRow;
}

const groupOf = perDatabase<ClaimGroup>();

/** The database's one ClaimGroup (looks at one database share its statements). */
export function claimGroupOf(database: Database): ClaimGroup {
  return groupOf(database, () => new ClaimGroup(database));
}

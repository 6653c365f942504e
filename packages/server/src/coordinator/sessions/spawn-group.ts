import type { Database } from '../../db/database.ts';
import { GroupCommit, placesBy } from '../../db/group-commit.ts';
import { perDatabase } from '../../db/per-database.ts';
import { outboxInsertCte, outboxRows } from '../../events/outbox-rows-sql.ts';
import { timelineFacts } from '../../events/timeline-facts-sql.ts';
import { Topics } from '../../events/topics.ts';
import type { RunRow } from '../runs/run-row.ts';
import { CONCURRENT_CHANGE } from '../shared/concurrent-change.ts';
import { sessionChangeRows, withSeedSessionColumns } from '../timeline/seed-session-sql.ts';
import { spawnedEvent, type SpawnRecord } from './spawn-repository.ts';

/** Statements in flight at once: spawns arriving meanwhile wait and go together in the next. */
const MAX_IN_FLIGHT = 2;
/** Spawns per statement at most: one statement's input stays small. */
const MAX_GROUP = 32;

/**
 * Whether a spawn may share a statement: a `start_session` run's root session, without an
 * Idempotency-Key. Every other spawn (a child, with its parent's checks and edge; a replayable
 * one, with its receipt) takes its statement of its own.
 */
export function isGroupableSpawn(record: SpawnRecord): boolean {
  return record.run !== undefined && record.parent === undefined && record.edge === undefined && record.receipt === undefined;
}

/**
 * The fields of one spawn the group statement reads (jsonb_to_recordset), `ordinal` its place
 * in the group from 1. The events' payloads are built here as the lone spawn builds them.
 */
function groupInputRow(record: SpawnRecord, ordinal: number): Record<string, unknown> {
  const run = record.run!;
  const spawned = spawnedEvent(record);
  return {
    ordinal,
    id: record.id,
    kind: record.kind,
    capabilities: record.capabilities,
    labels: record.labels,
    metadata: record.metadata,
    scopes: record.scopes,
    resource_id: record.resourceId,
    constraints: record.constraints,
    session_sid: record.sessionSid,
    spawned_at: record.spawnedAt,
    expires_at: record.expiresAt,
    run_status: record.seed?.runStatus ?? 'running',
    project_dir: record.seed?.projectDir ?? null,
    agent_name: record.agentName ?? record.seed?.agentName ?? null,
    lifecycle_payload: spawned,
    spawned_details: { ...spawned, scopes: record.scopes, resource_id: record.resourceId },
    run_id: run.id,
    run_zone_id: run.zoneId,
    run_application_id: run.applicationId,
    run_type: run.type,
    run_agent_name: run.agentName,
    run_parameters: run.parameters,
    run_project_dir: run.projectDir,
    run_parent_session_id: run.parentSessionId,
    run_execution_mode: run.executionMode,
    run_blueprint_tags: run.blueprintTags,
    run_details: run.details,
  };
}

const INPUT_COLUMNS = `ordinal int, id text, kind text, capabilities jsonb, labels jsonb, metadata jsonb, scopes text[], resource_id text,
  constraints jsonb, session_sid text, spawned_at timestamptz, expires_at timestamptz, run_status text, project_dir text, agent_name text,
  lifecycle_payload jsonb, spawned_details jsonb, run_id text, run_zone_id text, run_application_id text, run_type text, run_agent_name text,
  run_parameters jsonb, run_project_dir text, run_parent_session_id text, run_execution_mode text, run_blueprint_tags text[], run_details jsonb`;

/**
 * CTEs `name_free` and `name`: the group claims one free seat per spawn (in zone `zone`, below
 * `limit`), taking the first ones nobody has locked (SKIP LOCKED, as a lone spawn's first attempt
 * does) and handing them out in seat order to the spawns in their order. `name` yields `seat` and
 * the spawn's `ordinal`; fewer rows than spawns when fewer seats were free.
 */
function groupSeatClaimCtes(name: string, zone: string, limit: string): string[] {
  return [
    `${name}_free AS (
    SELECT free.seat, row_number() OVER (ORDER BY free.seat)::int AS ordinal FROM (
      SELECT seat FROM agent_session_seats
      WHERE application_id = $2 AND zone_id = ${zone} AND seat < ${limit} AND holder_session_id IS NULL
      ORDER BY seat LIMIT $6 FOR UPDATE SKIP LOCKED) AS free)`,
    `${name} AS (
    UPDATE agent_session_seats AS seats SET holder_session_id = item.id
    FROM ${name}_free AS free JOIN item ON item.ordinal = free.ordinal
    WHERE seats.application_id = $2 AND seats.zone_id = ${zone} AND seats.seat = free.seat
    RETURNING seats.seat, item.ordinal)`,
  ];
}

/** The place of a run's fact among its spawn's facts (the lone spawn's RUN_FACT_POSITION). */
const RUN_FACT_POSITION = 3;

/**
 * The group's one statement ($1 the spawns as jsonb, $2 the application, $3 the zone, $4 and $5
 * the zone's and the application's session limits, $6 how many spawns): each spawn writes what a
 * lone run spawn writes — its seats, session, run, facts and outbox rows — in the spawns' order.
 * When fewer seats were free than spawns it raises `concurrent_change` and writes nothing: the
 * spawns then go alone, whose statement names the refusal (a limit, seats not provisioned).
 */
const GROUP_STATEMENT = (() => {
  const facts = timelineFacts('spawn_facts', {
    source: 'coordinator',
    facts: `SELECT session.zone_id, session.id AS session_id, session.application_id, 'session_spawned'::text AS event_type,
        item.spawned_details AS details, item.spawned_at AS recorded_at, item.ordinal, 0 AS position, NULL::text AS run_id
      FROM session JOIN item ON item.id = session.id
      UNION ALL
      SELECT run.zone_id, run.session_id, run.application_id, 'run_created', jsonb_build_object('status', run.status, 'runner_id', run.runner_id) || item.run_details,
        run.created_at, item.ordinal, ${RUN_FACT_POSITION}, run.id
      FROM spawn_run AS run JOIN item ON item.run_id = run.id`,
    orderBy: 'fact.ordinal, fact.position',
    withRunId: true,
  });
  const lifecycle = outboxRows({
    topic: `'${Topics.agentsLifecycle}'`,
    eventType: "'session_spawned'",
    zoneId: 'session.zone_id',
    payload: 'item.lifecycle_payload',
    orderBy: { number: 'item.ordinal' },
    from: 'FROM session JOIN item ON item.id = session.id',
  });
  const ctes = [
    `item AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS item (${INPUT_COLUMNS}))`,
    ...groupSeatClaimCtes('zone_seat', '$3', '$4'),
    ...groupSeatClaimCtes('application_seat', "''", '$5'),
    `session AS (
    INSERT INTO agent_sessions (id, zone_id, application_id, parent_id, root_id, depth, kind, capabilities, labels, metadata,
      scopes, resource_id, constraints, delegation_edge_id, session_sid, zone_seat, application_seat, spawned_at, expires_at,
      run_status, project_dir, agent_name)
    SELECT item.id, $3, $2, NULL, item.id, 0, item.kind, item.capabilities, item.labels, item.metadata, item.scopes, item.resource_id,
      item.constraints, NULL, item.session_sid, zone_seat.seat, application_seat.seat, item.spawned_at, item.expires_at,
      item.run_status, item.project_dir, item.agent_name
    FROM item JOIN zone_seat ON zone_seat.ordinal = item.ordinal JOIN application_seat ON application_seat.ordinal = item.ordinal
    ORDER BY item.ordinal
    RETURNING ${withSeedSessionColumns(['id'])})`,
    `spawn_run AS (
    INSERT INTO runs (id, zone_id, application_id, session_id, type, agent_name, parameters, project_dir, parent_session_id,
      execution_mode, blueprint_tags, status, created_at, pending_since, updated_at)
    SELECT item.run_id, item.run_zone_id, item.run_application_id, session.id, item.run_type, item.run_agent_name, item.run_parameters,
      item.run_project_dir, item.run_parent_session_id, item.run_execution_mode, item.run_blueprint_tags, 'pending',
      item.spawned_at, item.spawned_at, item.spawned_at
    FROM session JOIN item ON item.id = session.id
    ORDER BY item.ordinal
    RETURNING *)`,
    facts.cte,
    // The lone spawn's outbox order, part by part: the seed feeds' new sessions, the spawn facts,
    // the lifecycle events, then the runs' facts. Each session's rows keep that order.
    outboxInsertCte('spawn_outbox', [
      sessionChangeRows('session_created', 'SELECT * FROM session'),
      facts.feedWhere('recorded.run_id IS NULL'),
      lifecycle,
      facts.feedWhere('recorded.run_id IS NOT NULL'),
    ]),
  ];
  // The runs come beside the check from a one-row source, so a group short of seats (no run rows) still raises.
  return `WITH ${ctes.join(',\n')}
    SELECT CASE WHEN (SELECT count(*) FROM session) < $6
      THEN coordinator_refuse(409, '${CONCURRENT_CHANGE}', 'fewer free session seats than spawns in the group; each spawns alone')
      ELSE true END AS spawned, spawn_run.*
    FROM (VALUES (true)) AS spawn LEFT JOIN spawn_run ON true`;
})();

/** Spawns of one application in one zone under the same limits: the seats they claim are the same. */
function seatKey(record: SpawnRecord): string {
  const { limits } = record;
  return JSON.stringify([record.applicationId, record.zoneId, limits.maxActivePerZoneApplication, limits.maxActivePerApplication]);
}

/**
 * Writes run spawns with group commit (GroupCommit): the spawns in flight at once share one
 * autocommitted statement (one round trip, one executor start, one commit) instead of paying one
 * each. Spawns of different applications, zones or limits claim different seats and go in
 * statements of their own. A statement that fails wrote nothing; its spawns are then tried alone,
 * and one that fails alone rejects: the caller takes the lone spawn's path, which names the
 * refusal.
 */
export class SpawnGroup {
  readonly #database: Database;
  readonly #group: GroupCommit<SpawnRecord, RunRow>;

  constructor(database: Database) {
    this.#database = database;
    this.#group = new GroupCommit((records) => this.#spawn(records), {
      maxInFlight: MAX_IN_FLIGHT,
      maxWeight: MAX_GROUP,
      partition: (records) => placesBy(records, seatKey),
    });
  }

  /** Writes the run spawn `record` (isGroupableSpawn) with the others of its group; answers its run. */
  spawn(record: SpawnRecord): Promise<RunRow> {
    return this.#group.submit(record);
  }

  /** One statement for spawns of one seat key; their runs in their order. */
  async #spawn(records: readonly SpawnRecord[]): Promise<RunRow[]> {
    const { applicationId, zoneId, limits } = records[0]!;
    const input = JSON.stringify(records.map((record, index) => groupInputRow(record, index + 1)));
    const { rows } = await this.#database.query<RunRow & { spawned: boolean }>(
      GROUP_STATEMENT,
      [input, applicationId, zoneId, limits.maxActivePerZoneApplication, limits.maxActivePerApplication, records.length],
      { prepare: true },
    );
    const runs = new Map(rows.map(({ spawned: _spawned, ...run }) => [run.id, run as RunRow]));
    return records.map((record) => runs.get(record.run!.id)!);
  }
}

const groupOf = perDatabase<SpawnGroup>();

/** The database's one SpawnGroup (spawns to one database share its statements). */
export function spawnGroupOf(database: Database): SpawnGroup {
  return groupOf(database, () => new SpawnGroup(database));
}

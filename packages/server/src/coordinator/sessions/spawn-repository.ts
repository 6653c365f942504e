import type { Queryable } from '../../db/database.ts';
import type { SessionLimits } from '../../config.ts';
import { Topics } from '../../events/topics.ts';
import { CONCURRENT_CHANGE } from '../shared/concurrent-change.ts';
import { refusing } from '../shared/database-errors.ts';
import { receiptCte, type ReceiptRecord } from '../shared/idempotency-repository.ts';
import { SqlParameters } from '../shared/sql-parameters.ts';
import type { Constraints } from '../delegations/authority.ts';
import type { EdgeGrantRecord } from '../delegations/create-edge-repository.ts';
import { sessionChangeRows, withSeedSessionColumns } from '../timeline/seed-session-sql.ts';
import { timelineFacts } from '../../events/timeline-facts-sql.ts';
import { outboxInsertCte, outboxRows } from '../../events/outbox-rows-sql.ts';
import type { RunFields } from '../runs/run-creation-sql.ts';
import type { RunRow } from '../runs/run-row.ts';
import { spawnRunParts, SPAWN_RUN_CTE } from './spawn-run-sql.ts';

/** The edge a child session inherits from its parent at spawn (its ends are the parent and the child). */
export type SpawnEdgeRecord = EdgeGrantRecord;

/** Everything one spawn writes; all of it commits in one statement or none of it does. */
export interface SpawnRecord {
  id: string;
  zoneId: string;
  applicationId: string;
  kind: string;
  capabilities: unknown[];
  labels: Record<string, string>;
  metadata: Record<string, unknown>;
  scopes: string[] | null;
  resourceId: string | null;
  constraints: Constraints | null;
  sessionSid: string | null;
  /** The blueprint the session runs (seed `agent_name`), or null. */
  agentName?: string | null;
  spawnedAt: string;
  expiresAt: string | null;
  parent: { id: string; rootId: string; depth: number } | undefined;
  edge: SpawnEdgeRecord | undefined;
  limits: SessionLimits;
  receipt: ReceiptRecord | undefined;
  /** The Agent Coordinator fields a `POST /sessions` spawn starts with; other spawns are already `running`. */
  seed?: SeedSpawnFields;
  /** A `start_session` run's spawn: the run, written in the spawn's statement (spawn-run-sql.ts). */
  run?: RunFields;
}

/** What `POST /sessions` sets on the session it spawns (docs/sessions.md). */
export interface SeedSpawnFields {
  runStatus: 'pending';
  projectDir: string | null;
  agentName: string | null;
}

/**
 * How a spawn claims its seats. `skip`: the first free seat nobody has locked (FOR UPDATE SKIP
 * LOCKED), never waiting; finding none proves nothing. `lock`: locks every seat in seat order,
 * waiting for transactions that hold them, and reads their committed holders; finding none free
 * means the limit is reached (docs/decisions/2026-12-04-agent-tree-limits.md).
 */
export type SeatClaim = 'skip' | 'lock';

/** Where the seat claims read their placeholders from. */
interface SeatClaimParts {
  id: string;
  application: string;
  zone: string;
  zoneLimit: string;
  applicationLimit: string;
  parentReady: string;
}

/**
 * The CTEs that claim a zone seat (`zone_seat`) and an application seat (`application_seat`) for
 * session `id`; each yields one `seat` row, or none when it claimed nothing.
 */
function seatClaimCtes(claim: SeatClaim, parts: SeatClaimParts): string[] {
  const { id, application, zone, zoneLimit, applicationLimit, parentReady } = parts;
  if (claim === 'skip') {
    const skipClaim = (name: string, seatZone: string, limit: string) => `${name} AS (
    UPDATE agent_session_seats SET holder_session_id = ${id}
    WHERE (application_id, zone_id, seat) = (
      SELECT application_id, zone_id, seat FROM agent_session_seats
      WHERE application_id = ${application} AND zone_id = ${seatZone} AND seat < ${limit}
        AND holder_session_id IS NULL AND ${parentReady}
      ORDER BY seat LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING seat)`;
    return [skipClaim('zone_seat', zone, zoneLimit), skipClaim('application_seat', "''", applicationLimit)];
  }
  // FOR UPDATE hands back each row's latest committed version once it is locked, so the holders
  // read here are current while the locks last; there is no filter on the holder before locking,
  // as the snapshot's holder may be stale. Primary-key order (the application's '' seats first),
  // as terminations lock the seats they free, so waiting claims and frees never deadlock.
  const lockClaim = (name: string, seatZone: string) => `${name} AS (
    UPDATE agent_session_seats SET holder_session_id = ${id}
    WHERE application_id = ${application} AND zone_id = ${seatZone} AND seat = (
      SELECT seat FROM locked_seats WHERE zone_id = ${seatZone} AND holder_session_id IS NULL ORDER BY seat LIMIT 1)
    RETURNING seat)`;
  return [
    `locked_seats AS (
    SELECT zone_id, seat, holder_session_id FROM agent_session_seats
    WHERE application_id = ${application} AND ${parentReady}
      AND ((zone_id = '' AND seat < ${applicationLimit}) OR (zone_id = ${zone} AND seat < ${zoneLimit}))
    ORDER BY zone_id, seat FOR UPDATE)`,
    lockClaim('zone_seat', zone),
    lockClaim('application_seat', "''"),
  ];
}

/** The place of a spawned run's fact among the spawn's facts (spawnFacts' come first). */
const RUN_FACT_POSITION = 3;

/** Detail code of the refusal meaning "this application has no seats yet in this zone". */
export const SEATS_MISSING = 'seats_missing';

/**
 * Spawns a session in one statement: claims a zone seat and an application seat (the limits),
 * bumps the parent's live-children count (children and depth limits, parent active), inserts the
 * session and its inherited edge, bumps the graph epoch, and writes the outbox events and the
 * idempotency receipt. Any refused rule raises, so nothing is half-applied. Updating the parent
 * row (its `revision` too) is what keeps concurrent subtree changes exact: one that locked the
 * parent first makes this spawn wait and then fail on the parent's new status; one that locks it
 * after sees the revision moved and retries with the child in its snapshot. With `record.run`, the
 * run is written too and its row returned.
 */
export async function insertSpawnedSession(
  database: Queryable,
  record: SpawnRecord,
  options: { seatClaim?: SeatClaim } = {},
): Promise<RunRow | undefined> {
  const p = new SqlParameters();
  const id = p.add(record.id, '::text');
  const zone = p.add(record.zoneId, '::text');
  const application = p.add(record.applicationId, '::text');
  const parent = record.parent;
  const ctes: string[] = [];
  if (parent !== undefined) {
    ctes.push(`parent AS (
      UPDATE agent_sessions SET live_children = live_children + 1, revision = revision + 1
      WHERE id = ${p.add(parent.id, '::text')} AND zone_id = ${zone} AND status = 'active'
        AND depth < ${p.add(record.limits.maxDepth, '::int')} AND live_children < ${p.add(record.limits.maxChildren, '::int')}
      RETURNING id, application_id)`);
  }
  const parentReady = parent === undefined ? 'true' : 'EXISTS (SELECT 1 FROM parent)';
  const zoneLimit = p.add(record.limits.maxActivePerZoneApplication, '::int');
  const applicationLimit = p.add(record.limits.maxActivePerApplication, '::int');
  const claim = options.seatClaim ?? 'skip';
  ctes.push(...seatClaimCtes(claim, { id, application, zone, zoneLimit, applicationLimit, parentReady }));
  const edge = record.edge;
  const edgeId = p.add(edge?.id ?? null, '::text');
  ctes.push(`session AS (
    INSERT INTO agent_sessions (id, zone_id, application_id, parent_id, root_id, depth, kind, capabilities, labels, metadata,
      scopes, resource_id, constraints, delegation_edge_id, session_sid, zone_seat, application_seat, spawned_at, expires_at,
      run_status, project_dir, agent_name)
    SELECT ${id}, ${zone}, ${application}, ${p.add(parent?.id ?? null, '::text')}, ${p.add(parent?.rootId ?? record.id, '::text')},
      ${p.add(parent === undefined ? 0 : parent.depth + 1, '::int')}, ${p.add(record.kind, '::text')}, ${p.json(record.capabilities)},
      ${p.json(record.labels)}, ${p.json(record.metadata)}, ${p.add(record.scopes, '::text[]')}, ${p.add(record.resourceId, '::text')},
      ${p.json(record.constraints)}, ${edgeId}, ${p.add(record.sessionSid, '::text')}, zone_seat.seat, application_seat.seat,
      ${p.add(record.spawnedAt, '::timestamptz')}, ${p.add(record.expiresAt, '::timestamptz')},
      ${p.add(record.seed?.runStatus ?? 'running', '::text')}, ${p.add(record.seed?.projectDir ?? null, '::text')},
      ${p.add(record.agentName ?? record.seed?.agentName ?? null, '::text')}
    FROM zone_seat, application_seat
    RETURNING ${withSeedSessionColumns(['id'])})`);
  const events = [
    outboxRows({
      topic: `'${Topics.agentsLifecycle}'`,
      eventType: "'session_spawned'",
      zoneId: zone,
      payload: p.json(spawnedEvent(record)),
      from: 'FROM session',
    }),
  ];
  if (edge !== undefined && parent !== undefined) {
    const now = p.add(record.spawnedAt, '::timestamptz');
    const parentEdge = p.add(edge.parentEdgeId, '::text');
    ctes.push(`edge AS (
      INSERT INTO delegation_edges (id, zone_id, source_session_id, target_session_id, issuer_application_id,
        receiver_application_id, parent_edge_id, scopes, resource_id, constraints, max_hops, budget_remaining,
        expires_at, created_at, origin)
      SELECT ${edgeId}, ${zone}, ${p.add(parent.id, '::text')}, ${id}, ${p.add(edge.issuerApplicationId, '::text')}, ${application},
        ${parentEdge}, ${p.add(edge.scopes, '::text[]')}, ${p.add(edge.resourceId, '::text')}, ${p.json(edge.constraints)},
        ${p.add(edge.maxHops, '::int')}, ${p.add(edge.budgetRemaining, '::int')}, ${p.add(edge.expiresAt, '::timestamptz')}, ${now}, 'spawn'
      FROM session
      WHERE ${parentEdge} IS NULL OR EXISTS (
        SELECT 1 FROM delegation_edges WHERE id = ${parentEdge} AND status = 'active' AND expires_at > ${now})
      RETURNING id)`);
    ctes.push(`epoch AS (
      INSERT INTO delegation_graph_epochs (zone_id, epoch, updated_at) SELECT ${zone}, 1, ${now} FROM edge
      ON CONFLICT (zone_id) DO UPDATE SET epoch = delegation_graph_epochs.epoch + 1, updated_at = excluded.updated_at
      RETURNING epoch)`);
    events.push(
      outboxRows({
        topic: `'${Topics.delegationsInvalidate}'`,
        eventType: "'edge_create'",
        zoneId: zone,
        payload: `${p.json(spawnEdgeEvent(record, edge, parent.id))} || jsonb_build_object('epoch', epoch)`,
        from: 'FROM epoch',
      }),
    );
  }
  if (record.receipt !== undefined) ctes.push(receiptCte(p, record.receipt, 'session'));
  const run = record.run;
  const runParts = run === undefined ? undefined : spawnRunParts(p, run, p.add(record.spawnedAt, '::timestamptz'), RUN_FACT_POSITION);
  if (runParts !== undefined) ctes.push(runParts.insert);
  // The session's facts and its run's in one insert (ordered by position, the run's last).
  const facts = timelineFacts('spawn_facts', {
    source: 'coordinator',
    facts: [spawnFacts(p, record), ...(runParts === undefined ? [] : [runParts.facts])].join(' UNION ALL '),
    orderBy: 'fact.position',
    withRunId: true,
  });
  ctes.push(facts.cte);
  // One outbox insert, in the order the feeds have always had: the seed feeds' new session, its
  // timeline facts, the lifecycle events, then the run's fact.
  ctes.push(
    outboxInsertCte('spawn_outbox', [
      sessionChangeRows('session_created', 'SELECT * FROM session'),
      facts.feedWhere('recorded.run_id IS NULL'),
      ...events,
      facts.feedWhere('recorded.run_id IS NOT NULL'),
    ]),
  );
  const checks: string[] = [];
  if (parent !== undefined) checks.push(`WHEN NOT EXISTS (SELECT 1 FROM parent) THEN ${parentRefusal(p, record)}`);
  checks.push(
    `WHEN NOT EXISTS (SELECT 1 FROM zone_seat) THEN ${seatRefusal(claim, application, zone, zoneLimit,
      `'application ' || ${application} || ' already has ' || ${zoneLimit} || ' live sessions in zone ' || ${zone}
        || ' (limit: active sessions per zone per application)'`)}`,
    `WHEN NOT EXISTS (SELECT 1 FROM application_seat) THEN ${seatRefusal(claim, application, "''", applicationLimit,
      `'application ' || ${application} || ' already has ' || ${applicationLimit}
        || ' live sessions across zones (limit: active sessions per application)'`)}`,
  );
  if (edge !== undefined) {
    checks.push(`WHEN NOT EXISTS (SELECT 1 FROM edge) THEN coordinator_refuse(409, 'edge_not_active',
      'the delegation edge the parent session acts under is no longer active')`);
  }
  // The run's row comes beside the checks from a one-row source, so a refused spawn (no run row) still raises.
  const runRow = run === undefined ? '' : `, ${SPAWN_RUN_CTE}.* FROM (VALUES (true)) AS spawn LEFT JOIN ${SPAWN_RUN_CTE} ON true`;
  const sql = `WITH ${ctes.join(',\n')}
    SELECT CASE ${checks.join('\n')} ELSE true END AS spawned${runRow}`;
  const { rows } = await refusing(database.query<RunRow>(sql, p.values, { prepare: true }));
  return run === undefined ? undefined : rows[0];
}

/**
 * Names the rule a parent broke (the error path only), read from the parent's latest committed
 * version: FOR SHARE waits for a transaction changing it and returns what it committed. The
 * statement's snapshot may be older than that (a child ended since, a parent resumed), and a
 * refusal must hold in committed state. When no rule is broken the parent changed after the
 * snapshot: `concurrent_change`, and the spawn is retried with a fresh one.
 */
function parentRefusal(p: SqlParameters, record: SpawnRecord): string {
  const parentId = p.add(record.parent!.id, '::text');
  const maxDepth = p.add(record.limits.maxDepth, '::int');
  const maxChildren = p.add(record.limits.maxChildren, '::int');
  return `(SELECT CASE
    WHEN s.status <> 'active' THEN coordinator_refuse(409, 'session_not_active', 'parent session ' || s.id || ' is ' || s.status)
    WHEN s.depth >= ${maxDepth} THEN coordinator_refuse(409, 'limit_exceeded',
      'a session at depth ' || s.depth || ' cannot have children (limit: depth ' || ${maxDepth} || ')')
    WHEN s.live_children >= ${maxChildren} THEN coordinator_refuse(409, 'limit_exceeded',
      'parent session ' || s.id || ' already has ' || ${maxChildren} || ' live children (limit: children per session)')
    ELSE coordinator_refuse(409, '${CONCURRENT_CHANGE}', 'parent session ' || s.id || ' changed concurrently; retry') END
    FROM agent_sessions s WHERE s.id = ${parentId} FOR SHARE)`;
}

/**
 * A seat not claimed is "not provisioned yet" (the service provisions and retries) or, when every
 * seat was locked in committed state, the limit. A `skip` claim that found nothing proves no
 * limit: SKIP LOCKED passes over seats other transactions hold (a spawn about to roll back, a
 * termination about to free one) and the statement's snapshot may predate frees. So it answers
 * `concurrent_change`, and the service retries with a `lock` claim, which decides on committed state.
 */
function seatRefusal(claim: SeatClaim, application: string, zone: string, limit: string, descriptionSql: string): string {
  const unclaimed =
    claim === 'skip'
      ? `coordinator_refuse(409, '${CONCURRENT_CHANGE}', 'every free session seat was being claimed concurrently; retry')`
      : `coordinator_refuse(409, 'limit_exceeded', ${descriptionSql})`;
  return `CASE WHEN (SELECT count(*) FROM agent_session_seats
      WHERE application_id = ${application} AND zone_id = ${zone} AND seat < ${limit}) < ${limit}
    THEN coordinator_refuse(503, '${SEATS_MISSING}', 'session seats are not provisioned')
    ELSE ${unclaimed} END`;
}

/** Creates the seats of an application (in a zone, and across zones) up to the configured limits. */
export async function provisionSeats(
  database: Queryable,
  seats: { applicationId: string; zoneId: string; limits: SessionLimits },
): Promise<void> {
  await database.query(
    `INSERT INTO agent_session_seats (application_id, zone_id, seat)
     SELECT $1, $2, generate_series(0, $3::int - 1)
     UNION ALL SELECT $1, '', generate_series(0, $4::int - 1)
     ON CONFLICT DO NOTHING`,
    [seats.applicationId, seats.zoneId, seats.limits.maxActivePerZoneApplication, seats.limits.maxActivePerApplication],
  );
}

/**
 * The timeline facts of a spawn (with `position` and a NULL `run_id`): `session_spawned` on the
 * new session, then, for a child with an inherited edge, `edge_created` on the parent's timeline
 * and on the child's.
 */
function spawnFacts(p: SqlParameters, record: SpawnRecord): string {
  const at = p.add(record.spawnedAt, '::timestamptz');
  const spawned = p.json({ ...spawnedEvent(record), scopes: record.scopes, resource_id: record.resourceId });
  const facts = [
    `SELECT session.zone_id, session.id AS session_id, session.application_id, 'session_spawned' AS event_type,
      ${spawned} AS details, ${at} AS recorded_at, 0 AS position, NULL::text AS run_id FROM session`,
  ];
  const { edge, parent } = record;
  if (edge !== undefined && parent !== undefined) {
    const created = p.json(spawnEdgeEvent(record, edge, parent.id));
    facts.push(
      `SELECT session.zone_id, parent.id, parent.application_id, 'edge_created', ${created}, ${at}, 1, NULL FROM session, parent, edge`,
      `SELECT session.zone_id, session.id, session.application_id, 'edge_created', ${created}, ${at}, 2, NULL FROM session, edge`,
    );
  }
  return facts.join(' UNION ALL ');
}

/** The `session_spawned` lifecycle event's payload (its fact adds the session's authority). */
export function spawnedEvent(record: SpawnRecord): Record<string, unknown> {
  return {
    agent_session_id: record.id,
    application_id: record.applicationId,
    parent_id: record.parent?.id ?? null,
    root_id: record.parent?.rootId ?? record.id,
    depth: record.parent === undefined ? 0 : record.parent.depth + 1,
    kind: record.kind,
    spawned_at: record.spawnedAt,
    expires_at: record.expiresAt,
    delegation_edge_id: record.edge?.id ?? null,
    // The blueprint it runs (the seed's agent_name), so a live view names it without reading the session.
    agent_name: record.agentName ?? record.seed?.agentName ?? null,
  };
}

function spawnEdgeEvent(record: SpawnRecord, edge: SpawnEdgeRecord, sourceSessionId: string): Record<string, unknown> {
  return {
    delegation_edge_id: edge.id,
    source_session_id: sourceSessionId,
    target_session_id: record.id,
    issuer_application_id: edge.issuerApplicationId,
    receiver_application_id: record.applicationId,
    parent_edge_id: edge.parentEdgeId,
    scopes: edge.scopes,
    resource_id: edge.resourceId,
    expires_at: edge.expiresAt,
    origin: 'spawn',
  };
}

import type { Queryable } from '../../db/database.ts';
import { Topics } from '../../events/topics.ts';
import { CONCURRENT_CHANGE } from '../shared/concurrent-change.ts';
import { refusing } from '../shared/database-errors.ts';
import { receiptCte, type ReceiptRecord } from '../shared/idempotency-repository.ts';
import { SqlParameters } from '../shared/sql-parameters.ts';
import { timelineFactCtes } from '../../events/timeline-facts-sql.ts';
import type { Constraints } from './authority.ts';

/**
 * Serialises changes to a zone's delegation graph (the zone-scoped lock of edge creation) for the rest of
 * the caller's transaction; a revocation takes it before reading the graph. (Edge creation takes
 * the same lock inside its own statement, see insertDelegationEdge.)
 */
export async function lockDelegationGraph(transaction: Queryable, zoneId: string): Promise<void> {
  await transaction.query(`SELECT pg_advisory_xact_lock(hashtext('delegation:' || $1::text))`, [zoneId], { prepare: true });
}

/** What an edge grants and where it derives from: the same columns for an explicit edge and a spawn's. */
export interface EdgeGrantRecord {
  id: string;
  issuerApplicationId: string;
  parentEdgeId: string | null;
  scopes: string[];
  resourceId: string | null;
  constraints: Constraints;
  maxHops: number | null;
  budgetRemaining: number | null;
  expiresAt: string;
}

/** An explicit delegation edge, as the service decided it. */
export interface EdgeRecord extends EdgeGrantRecord {
  zoneId: string;
  sourceSessionId: string;
  targetSessionId: string;
  receiverApplicationId: string;
  createdAt: string;
  /**
   * How many live inbound edges of the source the derivation saw when it was not named (0 or 1,
   * see derivation.ts); null when the request named the parent edge.
   */
  inboundEdgesSeen: number | null;
  receipt: ReceiptRecord | undefined;
}

/**
 * Records an edge in one autocommit statement (docs/decisions/2026-12-04-delegation-semantics.md),
 * so the zone lock is held
 * only for the statement and its commit:
 * 1. takes the zone's delegation lock (pg_advisory_xact_lock on hashtext('delegation:'||zone));
 * 2. then locks both sessions in id order and bumps their revision, so a concurrent subtree
 *    terminate either ended them first (they come back not active) or notices and retries;
 *    The parent edge's source is locked and bumped too: a termination that revokes the parent
 *    edge (and so everything derived from it) then notices this edge and retries;
 * 3. checks both sessions active and the parent edge still live (locked, so current), and, when
 *    the parent was derived rather than named, that the source's live inbound edges are still
 *    the ones the derivation saw (else concurrent_change: the caller derives again);
 * 4. refuses a cycle with coordinator_path_exists (exact, any length), which runs after the lock
 *    with a fresh snapshot and so sees every edge the previous lock holder committed;
 * 5. inserts, bumps the zone's graph epoch and enqueues `edge_create` with the receipt, and
 *    records `edge_created` on the source's timeline and the target's.
 * Returns the new epoch.
 */
export async function insertDelegationEdge(database: Queryable, record: EdgeRecord): Promise<number> {
  const p = new SqlParameters();
  const zone = p.add(record.zoneId, '::text');
  const source = p.add(record.sourceSessionId, '::text');
  const target = p.add(record.targetSessionId, '::text');
  const parentEdge = p.add(record.parentEdgeId, '::text');
  const now = p.add(record.createdAt, '::timestamptz');
  const inboundSeen = p.add(record.inboundEdgesSeen, '::int');
  const sql = `WITH
    zone_lock AS (
      SELECT true AS held FROM (SELECT pg_advisory_xact_lock(hashtext('delegation:' || ${zone}))) AS acquired),
    ordered AS (
      SELECT id FROM agent_sessions
      WHERE id IN (${source}, ${target}, (SELECT source_session_id FROM delegation_edges WHERE id = ${parentEdge}))
        AND (SELECT held FROM zone_lock)
      ORDER BY id FOR UPDATE),
    locked AS (
      UPDATE agent_sessions SET revision = revision + 1
      WHERE id IN (SELECT id FROM ordered) AND status = 'active'
      RETURNING id, status, application_id),
    parent_edge AS (
      SELECT id FROM delegation_edges
      WHERE id = ${parentEdge} AND status = 'active' AND expires_at > ${now} AND (SELECT count(*) FROM locked) >= 0
      FOR SHARE),
    checks AS (
      SELECT CASE
        WHEN (SELECT count(*) FROM locked WHERE id IN (${source}, ${target}) AND status = 'active') < 2
          THEN coordinator_refuse(409, 'session_not_active', 'the source or target session is no longer active')
        WHEN ${parentEdge} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM parent_edge)
          THEN coordinator_refuse(409, 'edge_not_active', 'the parent delegation edge is no longer active')
        WHEN ${inboundSeen} IS NOT NULL AND ${inboundSeen} <> (
            SELECT count(*) FROM delegation_edges
            WHERE target_session_id = ${source} AND status = 'active' AND expires_at > ${now} AND (SELECT count(*) FROM locked) >= 0)
          THEN coordinator_refuse(409, '${CONCURRENT_CHANGE}', 'the source session''s inbound edges changed while the edge was derived; retry')
        WHEN coordinator_path_exists(${zone}, ${target}, ${source}, ${now}, (SELECT held FROM zone_lock))
          THEN coordinator_refuse(409, 'cycle_detected', 'a path of active edges already leads from the target back to the source')
        ELSE true END AS ok),
    edge AS (
      INSERT INTO delegation_edges (id, zone_id, source_session_id, target_session_id, issuer_application_id,
        receiver_application_id, parent_edge_id, scopes, resource_id, constraints, max_hops, budget_remaining,
        expires_at, created_at, origin)
      SELECT ${p.add(record.id, '::text')}, ${zone}, ${source}, ${target}, ${p.add(record.issuerApplicationId, '::text')},
        ${p.add(record.receiverApplicationId, '::text')}, ${parentEdge}, ${p.add(record.scopes, '::text[]')},
        ${p.add(record.resourceId, '::text')}, ${p.json(record.constraints)}, ${p.add(record.maxHops, '::int')},
        ${p.add(record.budgetRemaining, '::int')}, ${p.add(record.expiresAt, '::timestamptz')}, ${now}, 'delegation'
      FROM checks WHERE ok
      RETURNING id),
    epoch AS (
      INSERT INTO delegation_graph_epochs (zone_id, epoch, updated_at) SELECT ${zone}, 1, ${now} FROM edge
      ON CONFLICT (zone_id) DO UPDATE SET epoch = delegation_graph_epochs.epoch + 1, updated_at = excluded.updated_at
      RETURNING epoch),
    events AS (
      INSERT INTO caracal_outbox (topic, event_type, zone_id, payload)
      SELECT '${Topics.delegationsInvalidate}', 'edge_create', ${zone}, ${p.json(createdEvent(record))} || jsonb_build_object('epoch', epoch)
      FROM epoch RETURNING id),
    ${timelineFactCtes('edge_facts', {
      source: 'coordinator',
      facts: `SELECT ${zone} AS zone_id, l.id AS session_id, l.application_id, 'edge_created' AS event_type,
          ${p.json(createdEvent(record))} AS details, ${now} AS recorded_at, CASE WHEN l.id = ${source} THEN 0 ELSE 1 END AS position
        FROM edge CROSS JOIN locked l WHERE l.id IN (${source}, ${target})`,
      orderBy: 'fact.position',
    }).join(',\n')},
    ${receiptCte(p, record.receipt, 'edge')}
    SELECT (SELECT epoch FROM epoch)::float8 AS epoch,
      (SELECT count(*) FROM receipt)::int AS receipts`;
  const result = await refusing(database.query<{ epoch: number }>(sql, p.values, { prepare: true }));
  return result.rows[0]!.epoch;
}

function createdEvent(record: EdgeRecord): Record<string, unknown> {
  return {
    delegation_edge_id: record.id,
    source_session_id: record.sourceSessionId,
    target_session_id: record.targetSessionId,
    issuer_application_id: record.issuerApplicationId,
    receiver_application_id: record.receiverApplicationId,
    parent_edge_id: record.parentEdgeId,
    scopes: record.scopes,
    resource_id: record.resourceId,
    expires_at: record.expiresAt,
    origin: 'delegation',
  };
}

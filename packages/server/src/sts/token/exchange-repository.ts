import type { Queryable } from '../../db/database.ts';

/** The presenting agent session as the exchange sees it. */
export interface SessionState {
  id: string;
  zoneId: string;
  applicationId: string;
  status: string;
  /** The ceiling without an edge: null = the application's scopes. */
  scopes: string[] | null;
  resourceId: string | null;
  /** Milliseconds since the epoch, or null for no TTL. */
  expiresAt: number | null;
}

/** One edge of the lineage, with the state of its source (delegating) session. */
export interface EdgeState {
  id: string;
  zoneId: string;
  sourceSessionId: string;
  targetSessionId: string;
  issuerApplicationId: string;
  receiverApplicationId: string;
  parentEdgeId: string | null;
  scopes: string[];
  resourceId: string | null;
  maxHops: number | null;
  budgetRemaining: number | null;
  /** `constraints.ttl_seconds`, when the edge caps the lifetime of mandates minted through it. */
  mandateTtlSeconds: number | null;
  status: string;
  expiresAt: number;
  /** Null when the source session row is missing. */
  sourceSessionStatus: string | null;
}

/** Everything an exchange decides on, read in one statement. */
export interface ExchangeSnapshot {
  /** Null when the zone does not exist. */
  keyVersion: number | null;
  application: { zoneId: string; scopes: string[] } | null;
  /** The scopes the resource accepts; null when it is not registered in the zone. */
  resourceScopes: string[] | null;
  session: SessionState | null;
  /** Root first, the requested edge last; empty without an edge (or an unknown one). */
  lineage: EdgeState[];
}

/** Lineages longer than this are treated as broken (the walk also guards against parent cycles). */
const LINEAGE_WALK_LIMIT = 40;

const SNAPSHOT_SQL = `
WITH RECURSIVE lineage AS (
  SELECT e.id, e.parent_edge_id, 1 AS distance FROM delegation_edges e WHERE e.id = $5::text
  UNION ALL
  SELECT p.id, p.parent_edge_id, l.distance + 1
    FROM delegation_edges p JOIN lineage l ON p.id = l.parent_edge_id
   WHERE l.distance < ${LINEAGE_WALK_LIMIT}
)
SELECT
  (SELECT z.key_version FROM zones z WHERE z.id = $1) AS key_version,
  (SELECT json_build_object('zoneId', a.zone_id, 'scopes', a.scopes) FROM applications a WHERE a.id = $2) AS application,
  (SELECT r.scopes FROM resources r WHERE r.zone_id = $1 AND r.identifier = $3) AS resource_scopes,
  (SELECT json_build_object(
            'id', s.id, 'zoneId', s.zone_id, 'applicationId', s.application_id, 'status', s.status,
            'scopes', s.scopes, 'resourceId', s.resource_id,
            'expiresAt', (extract(epoch FROM s.expires_at) * 1000)::float8)
     FROM agent_sessions s WHERE s.id = $4::text) AS session,
  (SELECT coalesce(json_agg(json_build_object(
            'id', e.id, 'zoneId', e.zone_id, 'sourceSessionId', e.source_session_id,
            'targetSessionId', e.target_session_id, 'issuerApplicationId', e.issuer_application_id,
            'receiverApplicationId', e.receiver_application_id, 'parentEdgeId', e.parent_edge_id,
            'scopes', e.scopes, 'resourceId', e.resource_id, 'maxHops', e.max_hops,
            'budgetRemaining', e.budget_remaining, 'constraints', e.constraints, 'status', e.status,
            'expiresAt', (extract(epoch FROM e.expires_at) * 1000)::float8,
            'sourceSessionStatus', src.status) ORDER BY l.distance DESC), '[]'::json)
     FROM lineage l
     JOIN delegation_edges e ON e.id = l.id
     LEFT JOIN agent_sessions src ON src.id = e.source_session_id) AS lineage`;

interface SnapshotRow {
  key_version: number | null;
  application: { zoneId: string; scopes: string[] } | null;
  resource_scopes: string[] | null;
  session: SessionState | null;
  lineage: Array<Omit<EdgeState, 'mandateTtlSeconds'> & { constraints: unknown }>;
}

/**
 * Reads, in one round trip, the zone's key version, the caller's application, the resource, the
 * presented session and the whole edge lineage (parent_edge_id chain, root first) with each
 * delegating session's status. The decision itself is a pure function of this snapshot.
 */
export async function readExchangeSnapshot(
  queryable: Queryable,
  request: { zoneId: string; clientId: string; resource: string; sessionId: string | undefined; edgeId: string | undefined },
): Promise<ExchangeSnapshot> {
  const { rows } = await queryable.query<SnapshotRow>(SNAPSHOT_SQL, [
    request.zoneId,
    request.clientId,
    request.resource,
    request.sessionId ?? null,
    request.edgeId ?? null,
  ]);
  const row = rows[0]!;
  return {
    keyVersion: row.key_version,
    application: row.application,
    resourceScopes: row.resource_scopes,
    session: row.session,
    lineage: row.lineage.map(({ constraints, ...edge }) => ({ ...edge, mandateTtlSeconds: ttlConstraint(constraints) })),
  };
}

function ttlConstraint(constraints: unknown): number | null {
  if (typeof constraints !== 'object' || constraints === null) return null;
  const ttl = (constraints as { ttl_seconds?: unknown }).ttl_seconds;
  return typeof ttl === 'number' && Number.isFinite(ttl) && ttl > 0 ? ttl : null;
}

/** What spending budget along a path came to. */
export type BudgetOutcome = 'ok' | 'exhausted' | 'inactive';

/**
 * Spends one unit on every listed (budgeted) edge, all or nothing, in one statement: see
 * `caracal_spend_edge_budget` in migrations/0003_identity.sql for the locking argument.
 */
export async function spendEdgeBudget(queryable: Queryable, edgeIds: readonly string[], now: number): Promise<BudgetOutcome> {
  const { rows } = await queryable.query<{ outcome: BudgetOutcome }>('SELECT caracal_spend_edge_budget($1::text[], $2) AS outcome', [
    edgeIds,
    new Date(now),
  ]);
  return rows[0]!.outcome;
}

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

interface RawSnapshot extends Omit<ExchangeSnapshot, 'lineage'> {
  lineage: Array<Omit<EdgeState, 'mandateTtlSeconds'> & { constraints: unknown }>;
}

/**
 * Reads, in one round trip, the zone's key version, the caller's application, the resource, the
 * presented session and the whole edge lineage (parent_edge_id chain, root first, at most 40
 * edges: a longer or cyclic chain reads as broken) with each delegating session's status. The
 * statement is `caracal_exchange_snapshot` in migrations/0003_identity.sql (a function, so its plan
 * is cached). The decision itself is a pure function of this snapshot.
 */
export async function readExchangeSnapshot(
  queryable: Queryable,
  request: { zoneId: string; clientId: string; resource: string; sessionId: string | undefined; edgeId: string | undefined },
): Promise<ExchangeSnapshot> {
  const { rows } = await queryable.query<{ snapshot: RawSnapshot }>(
    'SELECT caracal_exchange_snapshot($1, $2, $3, $4, $5) AS snapshot',
    [request.zoneId, request.clientId, request.resource, request.sessionId ?? null, request.edgeId ?? null],
  );
  const raw = rows[0]!.snapshot;
  return {
    keyVersion: raw.keyVersion,
    application: raw.application,
    resourceScopes: raw.resourceScopes,
    session: raw.session,
    lineage: raw.lineage.map(({ constraints, ...edge }) => ({ ...edge, mandateTtlSeconds: ttlConstraint(constraints) })),
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

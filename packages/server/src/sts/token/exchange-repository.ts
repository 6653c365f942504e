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
  /** The edge the session inherited at spawn: its authority when the request names no edge. */
  delegationEdgeId: string | null;
  /** The caveats the session was granted (`budget` is what is left of it). */
  caveats: SessionCaveats;
}

/** A spawn grant's caveats that bound what a session mints itself. */
export interface SessionCaveats {
  /** Per-call mandates still allowed: null = unlimited. */
  budget: number | null;
  /** Most seconds a mandate minted under the grant may live: null = no cap. */
  mandateTtlSeconds: number | null;
  /**
   * Resource → the scopes usable on it, when the grant names several resources (a session spawned
   * from a blueprint: docs/blueprints.md); null = no per-resource bound.
   */
  resourceScopes: Readonly<Record<string, readonly string[]>> | null;
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
  /**
   * Root edge only: the caveats of its source session when that session acts without an
   * inherited edge (a root of authority); null otherwise.
   */
  sourceSessionCaveats: SessionCaveats | null;
  /** Root edge only: the issuing application's current scopes; null elsewhere or when it is gone. */
  issuerScopes: string[] | null;
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

interface RawSnapshot extends Omit<ExchangeSnapshot, 'lineage' | 'session'> {
  session: (Omit<SessionState, 'caveats'> & { constraints: unknown }) | null;
  lineage: Array<Omit<EdgeState, 'mandateTtlSeconds' | 'sourceSessionCaveats'> & { constraints: unknown; sourceSessionConstraints: unknown }>;
}

/** What one exchange asks the snapshot for. */
export interface SnapshotRequest {
  zoneId: string;
  clientId: string;
  resource: string;
  sessionId: string | undefined;
  edgeId: string | undefined;
}

/**
 * One statement reads, per request, the zone's key version, the caller's application, the
 * resource, the presented session and the whole edge lineage (parent_edge_id chain, root first,
 * at most 40 edges: a longer or cyclic chain reads as broken) with each delegating session's
 * status: `caracal_exchange_snapshot` in migrations/0003_identity.sql (a function, so its plan is
 * cached), called once per request. The decision itself is a pure function of a snapshot.
 */
const SNAPSHOT_SQL = 'SELECT caracal_exchange_snapshot($1, $2, $3, $4, $5) AS snapshot';
/** The same for many requests at once, answered in their order. */
const SNAPSHOTS_SQL = `SELECT caracal_exchange_snapshot(r.zone_id, r.client_id, r.resource, r.session_id, r.edge_id) AS snapshot
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS r(zone_id, client_id, resource, session_id, edge_id, position)
 ORDER BY r.position`;

async function readSnapshots(queryable: Queryable, requests: readonly SnapshotRequest[]): Promise<ExchangeSnapshot[]> {
  // One request alone takes the plain call: nothing to unnest, and cheaper to plan where plans
  // are not kept (PGlite).
  const rows = requests.map(snapshotParameters);
  // The batch passes one array per parameter: the columns of those rows.
  const [sql, params] = rows.length === 1 ? [SNAPSHOT_SQL, rows[0]!] : [SNAPSHOTS_SQL, rows[0]!.map((_, column) => rows.map((row) => row[column]))];
  const result = await queryable.query<{ snapshot: RawSnapshot }>(sql, params, { prepare: true });
  return result.rows.map(({ snapshot: raw }) => ({
    keyVersion: raw.keyVersion,
    application: raw.application,
    resourceScopes: raw.resourceScopes,
    session: raw.session === null ? null : sessionState(raw.session),
    lineage: raw.lineage.map(({ constraints, sourceSessionConstraints, ...edge }) => ({
      ...edge,
      mandateTtlSeconds: ttlConstraint(constraints),
      sourceSessionCaveats: sourceSessionConstraints === null ? null : caveatsOf(sourceSessionConstraints),
    })),
  }));
}

function snapshotParameters(request: SnapshotRequest): Array<string | null> {
  return [request.zoneId, request.clientId, request.resource, request.sessionId ?? null, request.edgeId ?? null];
}

interface PendingRead {
  request: SnapshotRequest;
  resolve(snapshot: ExchangeSnapshot): void;
  reject(error: unknown): void;
}

/**
 * Reads exchange snapshots, gathering the requests that arrive in one turn of the event loop into
 * one statement. Under load a mint's cost is dominated by round trips (a socket write and read on
 * each side, a statement start in Postgres), so N concurrent exchanges share one; alone, a request
 * waits only until the end of the current turn (setImmediate), not for a timer.
 *
 * Consistency is unchanged: a read starts after every request in it arrived, so a revocation that
 * committed before an exchange request came in is seen by it.
 */
export class ExchangeSnapshotReader {
  readonly #queryable: Queryable;
  #pending: PendingRead[] = [];

  constructor(queryable: Queryable) {
    this.#queryable = queryable;
  }

  read(request: SnapshotRequest): Promise<ExchangeSnapshot> {
    return new Promise((resolve, reject) => {
      if (this.#pending.push({ request, resolve, reject }) === 1) setImmediate(() => void this.#flush());
    });
  }

  async #flush(): Promise<void> {
    const batch = this.#pending;
    this.#pending = [];
    try {
      const snapshots = await readSnapshots(this.#queryable, batch.map((pending) => pending.request));
      batch.forEach((pending, index) => pending.resolve(snapshots[index]!));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      // Whatever failed the shared statement must fail only the request that caused it.
      await Promise.all(
        batch.map((pending) =>
          readSnapshots(this.#queryable, [pending.request]).then(
            ([snapshot]) => pending.resolve(snapshot!),
            (cause: unknown) => pending.reject(cause),
          ),
        ),
      );
    }
  }
}

function sessionState({ constraints, ...session }: NonNullable<RawSnapshot['session']>): SessionState {
  return { ...session, caveats: caveatsOf(constraints) };
}

function caveatsOf(constraints: unknown): SessionCaveats {
  return { budget: budgetConstraint(constraints), mandateTtlSeconds: ttlConstraint(constraints), resourceScopes: resourceScopesConstraint(constraints) };
}

/** `constraints.resource_scopes`, read defensively: anything but an object of scope lists binds to nothing at all. */
function resourceScopesConstraint(constraints: unknown): Record<string, string[]> | null {
  if (typeof constraints !== 'object' || constraints === null) return null;
  const map = (constraints as { resource_scopes?: unknown }).resource_scopes;
  if (map === undefined) return null;
  if (typeof map !== 'object' || map === null || Array.isArray(map)) return {};
  const bound: Record<string, string[]> = {};
  for (const [resource, scopes] of Object.entries(map)) {
    if (Array.isArray(scopes)) bound[resource] = scopes.filter((scope): scope is string => typeof scope === 'string');
  }
  return bound;
}

function budgetConstraint(constraints: unknown): number | null {
  if (typeof constraints !== 'object' || constraints === null) return null;
  const budget = (constraints as { budget?: unknown }).budget;
  return typeof budget === 'number' && Number.isInteger(budget) ? budget : null;
}

function ttlConstraint(constraints: unknown): number | null {
  if (typeof constraints !== 'object' || constraints === null) return null;
  const ttl = (constraints as { ttl_seconds?: unknown }).ttl_seconds;
  return typeof ttl === 'number' && Number.isFinite(ttl) && ttl > 0 ? ttl : null;
}

/** What spending budget along a path came to. */
export type BudgetOutcome = 'ok' | 'exhausted' | 'inactive';

/** The budgets one mint spends: budgeted edges of its path, and a session's own grant. */
export interface BudgetSpend {
  edgeIds: readonly string[];
  /** A session without an inherited edge whose grant carries a budget. */
  sessionId: string | undefined;
}

/**
 * Spends one unit on every listed budget, all or nothing, in one statement: see
 * `caracal_spend_budget` in migrations/0007_exchange_authority.sql for the locking argument.
 */
export async function spendBudget(queryable: Queryable, spend: BudgetSpend, now: number): Promise<BudgetOutcome> {
  const { rows } = await queryable.query<{ outcome: BudgetOutcome }>('SELECT caracal_spend_budget($1::text[], $2, $3) AS outcome', [
    spend.edgeIds,
    spend.sessionId ?? null,
    new Date(now),
  ]);
  return rows[0]!.outcome;
}

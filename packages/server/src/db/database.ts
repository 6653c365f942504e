/**
 * The one storage seam of the server. Everything above it speaks plain SQL with `$1` parameters;
 * the two implementations (PGlite embedded, Postgres over `pg`) run the same statements and the
 * same migrations.
 */

export interface QueryResult<Row> {
  rows: Row[];
  /** Rows inserted, updated or deleted by the statement (0 for a plain SELECT on PGlite). */
  rowCount: number;
}

export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<QueryResult<Row>>;
}

export interface QueryOptions {
  /**
   * Keep the statement parsed and planned on its connection (a Postgres named prepared statement,
   * named after the SQL text), so hot statements skip parse and plan on later calls. Only for SQL
   * texts drawn from a fixed set: every distinct text stays prepared on every connection.
   * PGlite ignores it.
   */
  prepare?: boolean;
}

/** Runs SQL scripts: several `;`-separated statements, no parameters (migrations). */
export interface Executable {
  /** Runs every statement of `sql` in order; the first failure rejects (and, in a transaction, aborts it). */
  exec(sql: string): Promise<void>;
}

/** A connection held for the length of one transaction. */
export type Transaction = Queryable & Executable;

export interface Database extends Queryable, Executable {
  readonly kind: 'pglite' | 'postgres';
  /**
   * Runs `work` inside BEGIN … COMMIT on one connection; a thrown error rolls back and is
   * rethrown. `isolation` defaults to READ COMMITTED.
   */
  transaction<T>(work: (transaction: Transaction) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /**
   * Calls `onNotify` for each NOTIFY on `channel` (from this process or any other sharing the
   * database). Resolves to an unsubscribe function once LISTEN is in place; rejects when it cannot
   * be. A subscription outlives a lost connection: it is re-established with backoff, and
   * `events` says when NOTIFYs stop and start arriving again.
   */
  listen(channel: string, onNotify: (payload: string) => void, events?: ListenEvents): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** What a subscriber hears about its subscription's connection (Postgres only: PGlite has no connection to lose). */
export interface ListenEvents {
  /** The listening connection was lost; NOTIFYs are missed until `onRestored`. */
  onInterrupted?(error: unknown): void;
  /** LISTEN is in place again. NOTIFYs sent since `onInterrupted` were lost: re-check what they would have signalled. */
  onRestored?(): void;
}

export interface TransactionOptions {
  isolation?: 'read committed' | 'repeatable read' | 'serializable';
}

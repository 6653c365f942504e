import pg from 'pg';
import type { Database, QueryOptions, QueryResult, Transaction, TransactionOptions } from './database.ts';
import { isSessionEndedByServer, retryingEndedSessions } from './ended-session.ts';
import { createPostgresListener } from './postgres-listener.ts';
import { StatementNames } from './statement-names.ts';

/** Postgres over node-postgres: a pool for queries and one dedicated, self-healing client for LISTEN. */
export async function openPostgresDatabase(options: {
  connectionString: string;
  maxConnections?: number;
  /** Postgres schema to use (created when missing); lets parallel test runs share one database. */
  schema?: string;
}): Promise<Database> {
  const searchPath = options.schema === undefined ? undefined : `-c search_path=${pg.escapeIdentifier(options.schema)}`;
  const config: pg.PoolConfig = {
    connectionString: options.connectionString,
    max: options.maxConnections ?? 20,
    ...(searchPath === undefined ? {} : { options: searchPath }),
  };
  if (options.schema !== undefined) {
    const setup = new pg.Client({ connectionString: options.connectionString });
    await setup.connect();
    try {
      await setup.query(`CREATE SCHEMA IF NOT EXISTS ${pg.escapeIdentifier(options.schema)}`);
    } finally {
      await setup.end();
    }
  }
  const pool = new pg.Pool(config);
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', () => {});
  await pool.query('SELECT 1');

  const listener = createPostgresListener(config);

  const run = async <Row>(target: pg.Pool | pg.PoolClient, sql: string, params?: readonly unknown[], options?: QueryOptions) => {
    const values = params as unknown[] | undefined;
    const result = await (options?.prepare === true
      ? target.query({ name: statementNames.nameOf(sql), text: sql, ...(values === undefined ? {} : { values }) })
      : target.query(sql, values));
    return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 } satisfies QueryResult<Row>;
  };

  /**
   * One BEGIN … COMMIT on one connection. A failure before COMMIT was sent, on a connection that
   * Postgres ended (or that was lost) meanwhile, committed nothing: it goes into `uncommitted`.
   */
  const transactionOnce = async <T>(
    work: (transaction: Transaction) => Promise<T>,
    options: TransactionOptions | undefined,
    uncommitted: WeakSet<object>,
  ): Promise<T> => {
    const client = await pool.connect();
    let lost: unknown;
    let commitSent = false;
    // A checked-out client has no listener of the pool's: a connection lost between statements
    // (the backend terminated while the work awaits something else) would otherwise emit an
    // unhandled 'error' and end the process. The next statement then fails, and the work with it.
    const onLost = (error: unknown): void => {
      lost ??= error ?? new Error('connection lost');
    };
    client.on('error', onLost);
    try {
      await client.query(options?.isolation === undefined ? 'BEGIN' : `BEGIN ISOLATION LEVEL ${options.isolation.toUpperCase()}`);
      const result = await work({
        query: (sql, params, queryOptions) => run(client, sql, params, queryOptions),
        exec: (sql) => execScript(client, sql),
      });
      commitSent = true;
      await client.query('COMMIT');
      return result;
    } catch (error) {
      if (!commitSent && (lost !== undefined || isSessionEndedByServer(error)) && typeof error === 'object' && error !== null) uncommitted.add(error);
      await client.query('ROLLBACK').catch((rollbackError: unknown) => onLost(rollbackError));
      throw error;
    } finally {
      client.off('error', onLost);
      client.release(lost !== undefined);
    }
  };

  return {
    kind: 'postgres',
    // A statement on its own commits as it ends: ended by the server, it did not, and runs again.
    query: (sql, params, options) => retryingEndedSessions(() => run(pool, sql, params, options), isSessionEndedByServer),
    exec: (sql) => retryingEndedSessions(() => execScript(pool, sql), isSessionEndedByServer),
    transaction<T>(work: (transaction: Transaction) => Promise<T>, options?: TransactionOptions): Promise<T> {
      // The work runs again from BEGIN: everything it wrote was rolled back with the lost connection.
      const uncommitted = new WeakSet<object>();
      return retryingEndedSessions(
        () => transactionOnce(work, options, uncommitted),
        (error) => typeof error === 'object' && error !== null && uncommitted.has(error),
      );
    },
    listen: (channel, onNotify, events) => listener.listen(channel, onNotify, events),
    async close() {
      await listener.close();
      await pool.end();
    },
  };
}

/**
 * A query without parameters goes over Postgres's simple query protocol, which runs every
 * statement of the text in order (and as one implicit transaction outside BEGIN … COMMIT).
 */
async function execScript(target: pg.Pool | pg.PoolClient, sql: string): Promise<void> {
  await target.query(sql);
}

/** Shared by every pool of the process: a name stands for one text on any connection. */
const statementNames = new StatementNames();

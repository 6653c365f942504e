import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Database, QueryOptions, QueryResult, Transaction, TransactionOptions } from './database.ts';
import { createPostgresListener } from './postgres-listener.ts';

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
      ? target.query({ name: statementName(sql), text: sql, ...(values === undefined ? {} : { values }) })
      : target.query(sql, values));
    return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 } satisfies QueryResult<Row>;
  };

  return {
    kind: 'postgres',
    query: (sql, params, options) => run(pool, sql, params, options),
    exec: (sql) => execScript(pool, sql),
    async transaction<T>(work: (transaction: Transaction) => Promise<T>, options?: TransactionOptions): Promise<T> {
      const client = await pool.connect();
      let broken = false;
      // A checked-out client has no listener of the pool's: a connection lost between statements
      // (the backend terminated while the work awaits something else) would otherwise emit an
      // unhandled 'error' and end the process. The next statement then fails, and the work with it.
      const onLost = (): void => {
        broken = true;
      };
      client.on('error', onLost);
      try {
        await client.query(
          options?.isolation === undefined ? 'BEGIN' : `BEGIN ISOLATION LEVEL ${options.isolation.toUpperCase()}`,
        );
        const result = await work({
          query: (sql, params, options) => run(client, sql, params, options),
          exec: (sql) => execScript(client, sql),
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
        throw error;
      } finally {
        client.off('error', onLost);
        client.release(broken);
      }
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

const statementNames = new Map<string, string>();

/** A prepared statement's name: derived from its text, so equal texts share one per connection. */
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (name === undefined) {
    name = `q_${createHash('sha256').update(sql).digest('base64url').slice(0, 24)}`;
    statementNames.set(sql, name);
  }
  return name;
}

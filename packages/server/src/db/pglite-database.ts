import { PGlite } from '@electric-sql/pglite';
import type { Database, QueryResult, Transaction, TransactionOptions } from './database.ts';

/**
 * The embedded default: Postgres compiled to WASM, in memory (`dataDir` unset) or in a folder.
 * PGlite has a single connection, so transactions serialise; that is the embedded trade-off.
 */
export async function openPgliteDatabase(options: { dataDir?: string; loadDataDir?: Blob } = {}): Promise<Database> {
  // `loadDataDir` starts from a `dumpDataDir()` tarball instead of an empty cluster (tests load
  // one migrated copy per file rather than running initdb and the migrations each time).
  const pglite = new PGlite({ dataDir: options.dataDir, loadDataDir: options.loadDataDir });
  await pglite.waitReady;

  const run = async <Row>(
    target: Pick<PGlite, 'query'>,
    sql: string,
    params?: readonly unknown[],
  ): Promise<QueryResult<Row>> => {
    const result = await target.query<Row>(sql, params as unknown[] | undefined);
    return { rows: result.rows, rowCount: result.affectedRows ?? 0 };
  };

  return {
    kind: 'pglite',
    query: (sql, params) => run(pglite, sql, params),
    async exec(sql) {
      await pglite.exec(sql);
    },
    async transaction<T>(work: (transaction: Transaction) => Promise<T>, options?: TransactionOptions): Promise<T> {
      return pglite.transaction(async (tx) => {
        if (options?.isolation !== undefined) {
          await tx.query(`SET TRANSACTION ISOLATION LEVEL ${options.isolation.toUpperCase()}`);
        }
        return work({
          query: (sql, params) => run(tx, sql, params),
          async exec(sql) {
            await tx.exec(sql);
          },
        });
      });
    },
    // In-process: there is no connection to lose, so a subscription's `events` never fire.
    async listen(channel, onNotify) {
      const unsubscribe = await pglite.listen(channel, onNotify);
      return async () => unsubscribe();
    },
    async close() {
      await pglite.close();
    },
  };
}

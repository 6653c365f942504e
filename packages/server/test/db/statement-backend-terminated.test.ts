import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import { dropSchema, testBackends } from '../helpers/backends.ts';
import { waitFor } from '../helpers/wait-for.ts';

const postgres = testBackends().find((backend) => backend.name === 'postgres+redis');

/** The pids of backends of this database waiting for advisory lock `key` (pg_locks shows the waiters). */
async function waitingForLock(database: Database, key: number): Promise<number[]> {
  const { rows } = await database.query<{ pid: number }>(
    `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = $1 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    [key],
  );
  return rows.map((row) => row.pid);
}

/**
 * A statement running on a pooled connection when its backend is terminated (`pg_terminate_backend`,
 * 57P01 admin_shutdown) was rolled back; the request it serves must not fail with it. The statement
 * here waits on an advisory lock the test holds, so the termination lands while it runs.
 */
describe.runIf(postgres !== undefined)('a statement whose backend is terminated while it runs', () => {
  it('runs again on a live connection and answers', async () => {
    const schema = postgres!.schema()!;
    const database = await openDatabase({ databaseUrl: postgres!.databaseUrl!, schema });
    const key = randomInt(1, 2 ** 31 - 1);
    try {
      await database.exec('CREATE TABLE terminated_marks (mark int NOT NULL)');
      let settled = false;
      const outcome = await database.transaction(async (holder) => {
        await holder.query('SELECT pg_advisory_xact_lock($1)', [key]);
        const statement = database
          .query<{ mark: number }>('INSERT INTO terminated_marks (mark) SELECT 7 FROM (SELECT pg_advisory_xact_lock($1)) AS locked RETURNING mark', [key])
          .then((result) => ({ rows: result.rows }), (error: unknown) => ({ error }))
          .finally(() => {
            settled = true;
          });
        let first: number | undefined;
        await waitFor(
          async () => {
            first = (await waitingForLock(database, key))[0];
            return first !== undefined;
          },
          { what: 'the statement to wait for the lock' },
        );
        await database.query('SELECT pg_terminate_backend($1)', [first]);
        // Run again, it waits on another backend for the same lock: release the lock only then
        // (or once the statement failed, as it did before it was run again).
        await waitFor(async () => settled || (await waitingForLock(database, key)).some((pid) => pid !== first), { what: 'the statement to run again' });
        return { statement };
      });
      expect(await outcome.statement).toEqual({ rows: [{ mark: 7 }] });
      expect((await database.query<{ count: number }>('SELECT count(*)::int AS count FROM terminated_marks')).rows[0]!.count).toBe(1);
    } finally {
      await database.close();
      await dropSchema(schema);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open-database.ts';
import { dropSchema, testBackends } from '../helpers/backends.ts';
import { waitFor } from '../helpers/wait-for.ts';

const postgres = testBackends().find((backend) => backend.name === 'postgres+redis');

/**
 * A transaction's connection terminated while the work awaits something else (the outbox
 * publisher holds its batch's transaction open across the XADDs): the transaction fails, the
 * process lives on. Before, the checked-out client emitted 'error' with no listener, which ended
 * the whole server process (the chaos test saw a replica vanish after pg_terminate_backend).
 */
describe.runIf(postgres !== undefined)('a Postgres transaction whose connection is terminated between statements', () => {
  it('fails that transaction without an unhandled error, and the pool keeps working', async () => {
    const schema = postgres!.schema()!;
    const database = await openDatabase({ databaseUrl: postgres!.databaseUrl!, schema });
    try {
      const outcome = database.transaction(async (transaction) => {
        const { rows } = await transaction.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        const pid = rows[0]!.pid;
        await database.query('SELECT pg_terminate_backend($1)', [pid]);
        await waitFor(async () => (await database.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).rows.length === 0, {
          what: 'the backend to exit',
        });
        // The backend sent its FATAL before it exited; this round trip on another connection
        // returns after the event loop has read it, with the client idle in this transaction.
        await database.query('SELECT 1');
        await transaction.query('SELECT 1');
      });
      await expect(outcome).rejects.toThrow();
      expect((await database.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one).toBe(1);
    } finally {
      await database.close();
      await dropSchema(schema);
    }
  });
});

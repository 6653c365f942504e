import { describe, expect, test } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { ENDED_SESSION_ATTEMPTS } from '../../src/db/ended-session.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import { dropSchema, testBackends } from '../helpers/backends.ts';
import { waitFor } from '../helpers/wait-for.ts';

const postgres = testBackends().find((backend) => backend.name === 'postgres+redis');

/** Terminates backend `pid` from another pooled connection and waits until it has exited. */
async function terminate(database: Database, pid: number): Promise<void> {
  await database.query('SELECT pg_terminate_backend($1)', [pid]);
  await waitFor(async () => (await database.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).rows.length === 0, {
    what: 'the backend to exit',
  });
  // The backend sent its FATAL before it exited; this round trip on another connection returns
  // after the event loop has read it, with the client idle in the transaction.
  await database.query('SELECT 1');
}

/** A test with a database in a fresh schema of the Postgres backend, closed and dropped after it. */
const databaseTest = test.extend<{ database: Database }>({
  // eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from this pattern
  database: async ({}, use) => {
    const schema = postgres!.schema()!;
    const database = await openDatabase({ databaseUrl: postgres!.databaseUrl!, schema });
    try {
      await use(database);
    } finally {
      await database.close();
      await dropSchema(schema);
    }
  },
});

/**
 * A transaction's connection terminated while the work awaits something else (the outbox
 * publisher holds its batch's transaction open across the XADDs). Nothing of it committed, so
 * the work runs again from BEGIN on a live connection, and the process lives on: before, the
 * checked-out client emitted 'error' with no listener, which ended the whole server process, and
 * later the request failed with the connection.
 */
describe.runIf(postgres !== undefined)('a Postgres transaction whose connection is terminated between statements', () => {
  databaseTest('runs the work again on a live connection and commits it once', async ({ database }) => {
    await database.exec('CREATE TABLE lost_marks (attempt int NOT NULL)');
    let attempts = 0;
    const outcome = await database.transaction(async (transaction) => {
      attempts += 1;
      await transaction.query('INSERT INTO lost_marks (attempt) VALUES ($1)', [attempts]);
      const { rows } = await transaction.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      if (attempts === 1) await terminate(database, rows[0]!.pid);
      await transaction.query('SELECT 1');
      return attempts;
    });
    expect(outcome).toBe(2);
    // The first attempt's insert went with its connection; only the second one's committed.
    expect((await database.query<{ attempt: number }>('SELECT attempt FROM lost_marks')).rows).toEqual([{ attempt: 2 }]);
  });

  databaseTest('gives up with the error after a bounded number of attempts, and the pool keeps working', async ({ database }) => {
    let attempts = 0;
    const outcome = database.transaction(async (transaction) => {
      attempts += 1;
      const { rows } = await transaction.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await terminate(database, rows[0]!.pid);
      await transaction.query('SELECT 1');
    });
    await expect(outcome).rejects.toThrow();
    expect(attempts).toBe(ENDED_SESSION_ATTEMPTS);
    expect((await database.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one).toBe(1);
  });

  databaseTest('does not run the work again after an error of its own', async ({ database }) => {
    let attempts = 0;
    const outcome = database.transaction(async (transaction) => {
      attempts += 1;
      await transaction.query('SELECT 1 / 0');
    });
    await expect(outcome).rejects.toMatchObject({ code: '22012' });
    expect(attempts).toBe(1);
  });
});

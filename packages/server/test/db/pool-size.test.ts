import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import { dropSchema } from '../helpers/backends.ts';

const databaseUrl = process.env.CARACAL_TEST_DATABASE_URL;

/** The Postgres backends that answer `count` statements sent at once. */
async function backendsAnswering(database: Database, count: number): Promise<number> {
  const answers = await Promise.all(
    Array.from({ length: count }, () => database.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')),
  );
  return new Set(answers.map((answer) => answer.rows[0]!.pid)).size;
}

// DATABASE_POOL_SIZE (docs/configuration.md) reaches the pool: statements beyond it queue in the process.
describe.runIf(databaseUrl !== undefined)('the Postgres pool size', () => {
  let schema: string | undefined;
  let database: Database | undefined;
  afterEach(async () => {
    await database?.close();
    await dropSchema(schema);
  });

  it('keeps at most the connections it is given, and more by default', async () => {
    schema = `pool_size_${randomBytes(4).toString('hex')}`;
    database = await openDatabase({ databaseUrl, schema, maxConnections: 2 });
    expect(await backendsAnswering(database, 12)).toBeLessThanOrEqual(2);
    await database.close();
    database = await openDatabase({ databaseUrl, schema });
    expect(await backendsAnswering(database, 12)).toBeGreaterThan(2);
  });
});

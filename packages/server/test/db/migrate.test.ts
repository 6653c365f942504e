import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import { dropSchema, testBackends } from '../helpers/backends.ts';
import { openTestDatabase } from '../helpers/test-database.ts';

const migrationFiles = async (): Promise<string[]> =>
  (await readdir(new URL('../../migrations/', import.meta.url))).filter((name) => name.endsWith('.sql')).sort();

const applied = async (database: Database): Promise<string[]> =>
  (await database.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')).rows.map((row) => row.name);

/**
 * The migrations run for real here, from an empty database (a fresh PGlite cluster, a fresh
 * Postgres schema); other test files load a copy of the migrated template instead.
 */
describe.each(testBackends())('migrations on $name', (backend) => {
  const schema = backend.schema();
  let database: Database;

  beforeAll(async () => {
    database = await openDatabase(backend.databaseUrl === undefined ? {} : { databaseUrl: backend.databaseUrl, schema: schema! });
  });
  afterAll(async () => {
    await database?.close();
    await dropSchema(schema);
  });

  it('applies every migration file once, in name order, and a second run applies none', async () => {
    expect(await applied(database)).toEqual(await migrationFiles());
    expect(await migrate(database)).toEqual([]);
    expect(await applied(database)).toEqual(await migrationFiles());
  });

  it('leaves the schema the test template has', async () => {
    const tables = async (target: Database): Promise<string[]> =>
      (
        await target.query<{ name: string }>(
          `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`,
        )
      ).rows.map((row) => row.name);
    const template = await openTestDatabase();
    try {
      expect(await applied(template)).toEqual(await migrationFiles());
      expect(await tables(database)).toEqual(await tables(template));
    } finally {
      await template.close();
    }
  });
});

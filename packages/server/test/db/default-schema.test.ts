import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/start-server.ts';
import { TEST_SECRETS } from '../helpers/backends.ts';

const databaseUrl = process.env.CARACAL_TEST_DATABASE_URL;

/** `databaseUrl` with another database name. */
function urlOfDatabase(name: string): string {
  const url = new URL(databaseUrl!);
  url.pathname = `/${name}`;
  return url.toString();
}

// A database of its own: the default schema is a fixed name, which per-test schemas exist to avoid.
describe.runIf(databaseUrl !== undefined)('a server started on Postgres with default settings', () => {
  const database = `caracal_default_${randomBytes(6).toString('hex')}`;
  let admin: pg.Client;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
  });

  afterAll(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  });

  it('keeps its tables in the caracal schema, none in public', async () => {
    const server = await startServer({ port: 0, logger: false, jobs: false, databaseUrl: urlOfDatabase(database), ...TEST_SECRETS });
    await server.close();
    const client = new pg.Client({ connectionString: urlOfDatabase(database) });
    await client.connect();
    try {
      const { rows } = await client.query<{ table_schema: string; table_name: string }>(
        `SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')`,
      );
      const schemas = new Set(rows.map((row) => row.table_schema));
      expect([...schemas]).toEqual(['caracal']);
      expect(rows.map((row) => row.table_name)).toEqual(expect.arrayContaining(['zones', 'schema_migrations', 'caracal_outbox']));
      const functions = await client.query<{ schema: string }>(
        `SELECT DISTINCT n.nspname AS schema FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.proname LIKE 'caracal_%'`,
      );
      expect(functions.rows.map((row) => row.schema)).toEqual(['caracal']);
    } finally {
      await client.end();
    }
  });
});

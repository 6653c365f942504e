import type { Database } from './database.ts';
import { inMemoryTemplate } from './in-memory-template.ts';
import { migrate } from './migrate.ts';

export interface OpenDatabaseOptions {
  /** `postgres://…` for Postgres; unset for embedded PGlite. */
  databaseUrl?: string;
  /** PGlite data folder; unset keeps the embedded database in memory. */
  dataDir?: string;
  /** Postgres schema of the tables, created when missing; default `caracal` (tests use one per run). */
  schema?: string;
  /** Postgres connections kept at most (DEFAULT_DATABASE_POOL_SIZE). */
  maxConnections?: number;
}

/** The tables' own schema: never `public`, where generic names like `zones` would collide. */
export const DEFAULT_DATABASE_SCHEMA = 'caracal';

/** Postgres connections a process keeps at most, unless told otherwise (`DATABASE_POOL_SIZE`). */
export const DEFAULT_DATABASE_POOL_SIZE = 20;

/** Opens the configured database and brings its schema up to date. */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  let database: Database;
  if (options.databaseUrl === undefined || options.databaseUrl === '') {
    const { openPgliteDatabase } = await import('./pglite-database.ts');
    // Only tests set a template (testing.ts); a server always starts from an empty cluster. A
    // `memory://` folder (what `caracal server start` passes for memory) is in memory too.
    const inMemory = options.dataDir === undefined || options.dataDir.startsWith('memory://');
    const loadDataDir = inMemory ? inMemoryTemplate() : undefined;
    database = await openPgliteDatabase({ dataDir: options.dataDir, loadDataDir });
  } else {
    const { openPostgresDatabase } = await import('./postgres-database.ts');
    database = await openPostgresDatabase({
      connectionString: options.databaseUrl,
      schema: options.schema ?? DEFAULT_DATABASE_SCHEMA,
      maxConnections: options.maxConnections ?? DEFAULT_DATABASE_POOL_SIZE,
    });
  }
  try {
    await migrate(database);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

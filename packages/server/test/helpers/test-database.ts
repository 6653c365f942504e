import { readFile } from 'node:fs/promises';
import { inject } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { openDatabase, type OpenDatabaseOptions } from '../../src/db/open-database.ts';
import { openPgliteDatabase } from '../../src/db/pglite-database.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of a `dumpDataDir()` tarball: an embedded database with every migration applied (setup-pglite-template.ts). */
    pgliteTemplate?: string;
  }
}

let template: Promise<Blob> | undefined;

/** The run's migrated embedded template (read once per worker), or undefined without one. */
export async function migratedTemplate(): Promise<Blob | undefined> {
  const templatePath = inject('pgliteTemplate');
  if (templatePath === undefined) return undefined;
  template ??= readFile(templatePath).then((bytes) => new Blob([bytes]));
  return template;
}

/**
 * `openDatabase` for tests. On Postgres it is the real thing; the embedded database is a copy of
 * the migrated template the global setup built once per run, so a test file skips initdb and the
 * migrations (seconds each on a busy machine). Without a template it falls back to `openDatabase`.
 * The migrations themselves run for real in the global setup and in test/db/migrate.test.ts.
 */
export async function openTestDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  const loaded = (options.databaseUrl ?? '') !== '' || options.dataDir !== undefined ? undefined : await migratedTemplate();
  if (loaded === undefined) return openDatabase(options);
  return openPgliteDatabase({ loadDataDir: loaded });
}

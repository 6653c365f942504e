import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Database } from './database.ts';

/** The package's `migrations/` folder, found from both `src/db` and the built `dist/`. */
async function migrationsDirectory(): Promise<string> {
  for (const candidate of ['../../migrations/', '../migrations/']) {
    const url = new URL(candidate, import.meta.url);
    try {
      await readdir(url);
      return fileURLToPath(url);
    } catch {
      // try the next layout
    }
  }
  throw new Error('caracal server: migrations folder not found');
}

/**
 * Applies every `migrations/NNNN_name.sql` not yet recorded, in name order, each in its own
 * transaction. A cluster-wide advisory lock makes concurrent starts of several replicas safe.
 */
export async function migrate(database: Database): Promise<string[]> {
  const directory = await migrationsDirectory();
  const files = (await readdir(directory)).filter((name) => name.endsWith('.sql')).sort();
  return database.transaction(async (transaction) => {
    await transaction.query('SELECT pg_advisory_xact_lock(7301917)');
    await transaction.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const applied = new Set(
      (await transaction.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((row) => row.name),
    );
    const newlyApplied: string[] = [];
    for (const file of files) {
      if (applied.has(file)) continue;
      const sql = await readFile(`${directory}/${file}`, 'utf8');
      // The whole file in one round trip; it shares the transaction, so a failing file applies nothing.
      await transaction.exec(sql);
      await transaction.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file]);
      newlyApplied.push(file);
    }
    return newlyApplied;
  });
}

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { openDatabase } from './open-database.ts';

/** An embedded database with every migration applied (through `openDatabase`, as the server does), as a `dumpDataDir()` tarball. */
export async function migratedEmbeddedTarball(): Promise<Blob> {
  const folder = await mkdtemp(join(tmpdir(), 'caracal-pglite-template-'));
  try {
    const dataDir = join(folder, 'data');
    const database = await openDatabase({ dataDir });
    await database.close();
    const pglite = new PGlite(dataDir);
    await pglite.waitReady; // dumpDataDir does not wait for it
    try {
      return await pglite.dumpDataDir('none');
    } finally {
      await pglite.close();
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

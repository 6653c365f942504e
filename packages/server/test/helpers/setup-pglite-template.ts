import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/open-database.ts';

let folder: string | undefined;

/**
 * Vitest global setup: builds one migrated embedded database per run (initdb and every migration,
 * through `openDatabase` as the server does) and hands its tarball to the workers, which load a
 * copy per test file (test-database.ts).
 */
export async function setup(project: TestProject): Promise<void> {
  folder = await mkdtemp(join(tmpdir(), 'caracal-pglite-template-'));
  const dataDir = join(folder, 'data');
  const database = await openDatabase({ dataDir });
  await database.close();
  const pglite = new PGlite(dataDir);
  await pglite.waitReady; // dumpDataDir does not wait for it
  const dump = await pglite.dumpDataDir('none');
  await pglite.close();
  const template = join(folder, 'template.tar');
  await writeFile(template, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteTemplate', template);
}

export async function teardown(): Promise<void> {
  if (folder !== undefined) await rm(folder, { recursive: true, force: true });
}

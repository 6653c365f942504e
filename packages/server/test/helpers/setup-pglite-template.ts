import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { migratedEmbeddedTarball } from '../../src/db/migrated-tarball.ts';

let folder: string | undefined;

/**
 * Vitest global setup: builds one migrated embedded database per run (initdb and every migration,
 * through `openDatabase` as the server does) and hands its tarball to the workers, which load a
 * copy per test file (test-database.ts).
 */
export async function setup(project: TestProject): Promise<void> {
  folder = await mkdtemp(join(tmpdir(), 'caracal-pglite-template-'));
  const template = join(folder, 'template.tar');
  await writeFile(template, Buffer.from(await (await migratedEmbeddedTarball()).arrayBuffer()));
  project.provide('pgliteTemplate', template);
}

export async function teardown(): Promise<void> {
  if (folder !== undefined) await rm(folder, { recursive: true, force: true });
}

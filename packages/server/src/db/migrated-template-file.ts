import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migratedEmbeddedTarball } from './migrated-tarball.ts';

/** A migrated embedded database saved as a tarball file; `remove()` deletes it and its folder. */
export interface MigratedTemplateFile {
  path: string;
  remove(): Promise<void>;
}

/**
 * Writes `migratedEmbeddedTarball()` to a file of a fresh temporary folder: a test run's global
 * setup builds it once and its workers load a copy per in-memory database instead of migrating.
 */
export async function writeMigratedTemplate(): Promise<MigratedTemplateFile> {
  const folder = await mkdtemp(join(tmpdir(), 'caracal-template-'));
  const remove = () => rm(folder, { recursive: true, force: true });
  try {
    const path = join(folder, 'template.tar');
    await writeFile(path, Buffer.from(await (await migratedEmbeddedTarball()).arrayBuffer()));
    return { path, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migratedEmbeddedTarball } from '@caracal/server/testing';
import type { TestProject } from 'vitest/node';

let folder: string | undefined;

/**
 * Vitest global setup: one migrated embedded database per run, as a tarball the workers load for
 * every in-memory server a test starts (use-embedded-template.ts). The migrations run from scratch
 * here and in the server's own migration test.
 */
export async function setup(project: TestProject): Promise<void> {
  folder = await mkdtemp(join(tmpdir(), 'caracal-e2e-template-'));
  const template = join(folder, 'template.tar');
  await writeFile(template, Buffer.from(await (await migratedEmbeddedTarball()).arrayBuffer()));
  project.provide('embeddedTemplatePath', template);
}

export async function teardown(): Promise<void> {
  if (folder !== undefined) await rm(folder, { recursive: true, force: true });
}

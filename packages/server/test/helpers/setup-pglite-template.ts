import type { TestProject } from 'vitest/node';
import { writeMigratedTemplate, type MigratedTemplateFile } from '../../src/db/migrated-template-file.ts';

let template: MigratedTemplateFile | undefined;

/**
 * Vitest global setup: builds one migrated embedded database per run (initdb and every migration,
 * through `openDatabase` as the server does) and hands its tarball to the workers, which load a
 * copy per test file (test-database.ts).
 */
export async function setup(project: TestProject): Promise<void> {
  template = await writeMigratedTemplate();
  project.provide('pgliteTemplate', template.path);
}

export async function teardown(): Promise<void> {
  await template?.remove();
}

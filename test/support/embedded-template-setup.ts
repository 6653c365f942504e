import { writeMigratedTemplate, type MigratedTemplateFile } from '@caracal/server/testing';
import type { TestProject } from 'vitest/node';

let template: MigratedTemplateFile | undefined;

/**
 * Vitest global setup: one migrated embedded database per run, as a tarball the workers load for
 * every in-memory server a test starts (use-embedded-template.ts). The migrations run from scratch
 * here and in the server's own migration test.
 */
export async function setup(project: TestProject): Promise<void> {
  template = await writeMigratedTemplate();
  project.provide('embeddedTemplatePath', template.path);
}

export async function teardown(): Promise<void> {
  await template?.remove();
}

import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const preload = pathToFileURL(join(import.meta.dirname, 'preload-embedded-template.ts')).href;

/**
 * Node flags and environment variables for a child process whose in-memory servers should load
 * the run's migrated template (`templatePath`, from embedded-template-setup.ts) instead of running
 * initdb and every migration; without a template, none.
 */
export function templateChildOptions(templatePath: string | undefined): { execArgv: string[]; env: Record<string, string> } {
  if (templatePath === undefined) return { execArgv: [], env: {} };
  return { execArgv: ['--import', preload], env: { CARACAL_TEST_EMBEDDED_TEMPLATE: templatePath } };
}

import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const preload = pathToFileURL(join(import.meta.dirname, 'preload-embedded-template.ts')).href;

/**
 * Node flags and environment variables for a short-lived child process a test starts (an example,
 * the CLI's server) so that it costs less CPU and behaves the same:
 * - its in-memory servers load the run's migrated template (`templatePath`, from
 *   embedded-template-setup.ts) instead of running initdb and every migration;
 * - WebAssembly (PGlite) stays on V8's baseline compiler: optimising it again in the background
 *   costs more than it saves in a process that lives a few seconds.
 */
export function childProcessOptions(templatePath: string | undefined): { execArgv: string[]; env: Record<string, string> } {
  const execArgv = ['--liftoff-only'];
  if (templatePath === undefined) return { execArgv, env: {} };
  return { execArgv: [...execArgv, '--import', preload], env: { CARACAL_TEST_EMBEDDED_TEMPLATE: templatePath } };
}

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startServerProcess as startProcess, type ServerProcess } from '../../../src/testing.ts';

export type { ServerProcess };

/** The built server entry, as `node packages/server/dist/main.js` runs it in production. */
export const MAIN_JS = fileURLToPath(new URL('../../../dist/main.js', import.meta.url));

/**
 * Starts the built server with `env`; resolves once it listens. The dist must be built
 * (`pnpm --filter @caracal/server run build`; `./run test` does).
 */
export function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  if (!existsSync(MAIN_JS)) throw new Error(`${MAIN_JS} is missing: run pnpm --filter @caracal/server run build first`);
  return startProcess(MAIN_JS, env);
}

import { fileURLToPath } from 'node:url';
import { startServerProcess as startProcess, type ServerProcess } from '@caracal/server/testing';
import { killOnExit } from './kill-on-exit.ts';

export type { ServerProcess };

/**
 * The built server entry, run as production runs it; `BENCH_SERVER_MAIN` points at another build (before/after runs),
 * BENCH_SERVER_NODE_OPTIONS gives the server process NODE_OPTIONS (a CPU profile).
 */
const MAIN_JS = process.env.BENCH_SERVER_MAIN ?? fileURLToPath(new URL('../../packages/server/dist/main.js', import.meta.url));

/** Starts the built server with `env` (its jobs running, as in production). Needs `pnpm run build` first. */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const server = await startProcess(MAIN_JS, {
    // e.g. `--cpu-prof --cpu-prof-dir=/tmp/profiles`: a CPU profile of the server, written as it exits.
    ...(process.env.BENCH_SERVER_NODE_OPTIONS === undefined ? {} : { NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS }),
    ...env,
  });
  killOnExit(server.child);
  return server;
}

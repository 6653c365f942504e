import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built server entry, as `node packages/server/dist/main.js` runs it in production. */
export const MAIN_JS = fileURLToPath(new URL('../../../dist/main.js', import.meta.url));

const LOG_TAIL_CHARACTERS = 1_000_000;

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote to stderr (for failure messages). */
  stderr(): string;
  /** Its log lines (pino JSON on stdout), the last megabyte of them. */
  log(): string;
  /** Sends `signal` and waits for the exit. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `node dist/main.js` with `env` (PORT=0 picks a free port) and resolves once it prints
 * its URL. The dist must be built (`pnpm --filter @caracal/server run build`; `./run test` does).
 */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  if (!existsSync(MAIN_JS)) throw new Error(`${MAIN_JS} is missing: run pnpm --filter @caracal/server run build first`);
  const child = spawn(process.execPath, [MAIN_JS], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  // Drained for the whole life of the child, so it never blocks on a full pipe; the tail stays readable.
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout = (stdout + chunk.toString('utf8')).slice(-LOG_TAIL_CHARACTERS);
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within 60 s: ${stderr}`)), 60_000);
    const listening = (): void => {
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match !== null) {
        child.stdout!.off('data', listening);
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', listening);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening: ${stderr}`));
    });
  });
  return {
    url,
    child,
    stderr: () => stderr,
    log: () => stdout,
    async kill(signal) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    },
  };
}

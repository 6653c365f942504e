import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/** How much of a process's stdout (its pino log) and stderr is kept: the last megabyte of each. */
const TAIL_CHARACTERS = 1_000_000;
const START_TIMEOUT_MS = 60_000;

/** A server running as its own process, as production runs it (faults tests and benches). */
export interface ServerProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  /** What the process wrote to stderr (for failure messages), the last megabyte of it. */
  stderr(): string;
  /** Its log lines (pino JSON on stdout), the last megabyte of them. */
  log(): string;
  /** Sends `signal` and waits for the exit. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `node <main>` (a built `dist/main.js`) with `env` over a bare PATH, on a free port
 * (PORT=0), and resolves once it prints its URL.
 */
export async function startServerProcess(main: string, env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, [main], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-TAIL_CHARACTERS);
  });
  // Drained for the whole life of the child, so it never blocks on a full pipe; the tail stays readable.
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout = (stdout + chunk.toString('utf8')).slice(-TAIL_CHARACTERS);
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within ${START_TIMEOUT_MS / 1000} s: ${stderr}`)), START_TIMEOUT_MS);
    const listening = (): void => {
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match !== null) {
        child.stdout!.off('data', listening);
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', listening);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) before listening: ${stderr}`));
    });
  });
  return {
    url,
    pid: child.pid!,
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

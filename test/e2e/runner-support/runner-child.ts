import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./runner-process.ts', import.meta.url));

/** One JSON line a runner process printed. */
export interface RunnerFact {
  event: string;
  at: number;
  run_id?: string;
  [field: string]: unknown;
}

/** A runner process (runner-process.ts) and what it has said so far. */
export interface RunnerChild {
  readonly child: ChildProcess;
  readonly facts: RunnerFact[];
  /** Resolves with the first fact matching `test`, said already or to come; rejects if the process exits first or after `timeoutMs`. */
  waitFor(test: (fact: RunnerFact) => boolean, what: string, timeoutMs?: number): Promise<RunnerFact>;
  stderr(): string;
  kill(signal: NodeJS.Signals): Promise<void>;
}

export async function startRunnerChild(env: Record<string, string>): Promise<RunnerChild> {
  const child = spawn(process.execPath, [SCRIPT], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const facts: RunnerFact[] = [];
  const waiters = new Set<() => void>();
  let stderr = '';
  let buffered = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-20_000)));
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line.startsWith('{')) facts.push(JSON.parse(line) as RunnerFact);
    }
    for (const waiter of waiters) waiter();
  });
  child.once('exit', () => {
    for (const waiter of waiters) waiter();
  });
  const handle: RunnerChild = {
    child,
    facts,
    stderr: () => stderr,
    waitFor(test, what, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const found = facts.find(test);
          if (found !== undefined) finish(() => resolve(found));
          else if (child.exitCode !== null || child.signalCode !== null) finish(() => reject(new Error(`runner exited before ${what}: ${stderr}`)));
        };
        const timer = setTimeout(() => finish(() => reject(new Error(`no ${what} within ${timeoutMs} ms; facts: ${JSON.stringify(facts)}; stderr: ${stderr}`))), timeoutMs);
        const finish = (settle: () => void): void => {
          clearTimeout(timer);
          waiters.delete(check);
          settle();
        };
        waiters.add(check);
        check();
      });
    },
    async kill(signal) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    },
  };
  await handle.waitFor((fact) => fact.event === 'registered', 'registration');
  return handle;
}

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI_PACKAGE = fileURLToPath(new URL('../../../packages/cli/', import.meta.url));
/** The file `npm i -g @caracal/cli` puts on PATH as `caracal`. */
export const CLI_BIN = join(CLI_PACKAGE, 'dist', 'bin.js');

export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Fails loudly when the binary is missing or older than its sources: these tests are about the
 * built artefact, and silently testing yesterday's build would prove nothing.
 */
export function assertBuiltCli(): void {
  if (!existsSync(CLI_BIN)) {
    throw new Error(`${CLI_BIN} is missing: run \`pnpm --filter @caracal/cli run build\` first (\`pnpm run check\` builds before testing)`);
  }
  const built = statSync(CLI_BIN).mtimeMs;
  const newest = newestMtime(join(CLI_PACKAGE, 'src'));
  if (newest > built) throw new Error(`${CLI_BIN} is older than packages/cli/src: run \`pnpm --filter @caracal/cli run build\``);
}

function newestMtime(folder: string): number {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** A minimal environment, as on a fresh machine: PATH (node, bash, jq, xargs) plus what the test sets. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tmpdir(), LANG: 'C.UTF-8' };
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) env[key] = value;
  return env;
}

/** Runs `node dist/bin.js …` and collects its output; `execArgv` are flags for node itself. */
export function caracal(args: readonly string[], env: Record<string, string | undefined> = {}, execArgv: readonly string[] = []): Promise<ProcessResult> {
  return collect(spawn(process.execPath, [...execArgv, CLI_BIN, ...args], { env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] }));
}

/**
 * Runs a shell script with a `caracal` command on PATH (a two-line shim to the built binary), so
 * the recipes of docs/cli.md run verbatim.
 */
export async function shell(script: string, env: Record<string, string | undefined> = {}): Promise<ProcessResult> {
  const folder = mkdtempSync(join(tmpdir(), 'caracal-shim-'));
  try {
    const shim = join(folder, 'caracal');
    writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${CLI_BIN}" "$@"\n`, { mode: 0o755 });
    const path = `${folder}:${dirname(process.execPath)}:${process.env.PATH ?? '/usr/bin:/bin'}`;
    return await collect(spawn('bash', ['-c', `set -o pipefail\n${script}`], { env: { ...cleanEnv(env), PATH: path }, stdio: ['ignore', 'pipe', 'pipe'] }));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

export function collect(child: ReturnType<typeof spawn>): Promise<ProcessResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** A `caracal server start` child and the URL it listens on. */
export interface StartedServerCli {
  child: ChildProcess;
  url: string;
  done: Promise<ProcessResult>;
}

/**
 * Spawns `caracal server start …` and resolves with the URL of its first stdout line. `spawned` gets
 * the child at once, so the caller can register how to end it even if the start never completes.
 * `execArgv` are flags for node itself.
 */
export async function startServerCli(
  args: string[],
  env: Record<string, string>,
  spawned: (child: ChildProcess, done: Promise<ProcessResult>) => void,
  execArgv: readonly string[] = [],
): Promise<StartedServerCli> {
  const child = spawn(process.execPath, [...execArgv, CLI_BIN, 'server', 'start', ...args], { env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  const done = collect(child);
  spawned(child, done);
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      const match = /^caracal server listening on (http:\/\/\S+)\n/.exec(seen);
      if (match) resolve(match[1]!);
    });
    void done.then((result) => reject(new Error(`server start exited early (${result.code}): ${result.stderr}`)));
  });
  return { child, url, done };
}

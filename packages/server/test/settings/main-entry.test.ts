import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAIN_JS } from '../faults/support/server-process.ts';

/** Runs `node dist/main.js …` to its exit: only refusals, which end before anything listens. */
async function runMain(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [MAIN_JS, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { code, stdout, stderr };
}

describe('node dist/main.js reads the same settings as caracal server start', () => {
  beforeAll(() => {
    if (!existsSync(MAIN_JS)) throw new Error(`${MAIN_JS} is missing: run pnpm --filter @caracal/server run build first`);
  });

  it('refuses Postgres without secrets, from a flag as from the environment, exit 3', async () => {
    // Nothing listens on port 1; the refusal comes before any connection.
    const byFlag = await runMain(['--port', '0', '--database-url', 'postgres://127.0.0.1:1/none']);
    expect(byFlag.code).toBe(3);
    expect(byFlag.stdout).toBe('');
    expect(byFlag.stderr).toContain('caracal server: a server on Postgres needs its own secrets; set CARACAL_KEY_SECRET (--key-secret, key_secret) and CARACAL_EVENT_SECRET (--event-secret, event_secret)');
    const byEnvironment = await runMain([], { PORT: '0', DATABASE_URL: 'postgres://127.0.0.1:1/none', CARACAL_KEY_SECRET: 'k' });
    expect(byEnvironment.code).toBe(3);
    expect(byEnvironment.stderr).toContain('set CARACAL_EVENT_SECRET (--event-secret, event_secret)');
  });

  it('names a bad value and its source, and refuses an unknown flag, exit 3', async () => {
    const badPort = await runMain(['--port', 'eighty']);
    expect(badPort).toMatchObject({ code: 3, stderr: 'caracal server: PORT (flag --port) must be a whole number from 0 to 65535\n' });
    const badOrigins = await runMain([], { CORS_ORIGINS: 'not an origin' });
    expect(badOrigins.code).toBe(3);
    expect(badOrigins.stderr).toContain('CORS_ORIGINS (environment CORS_ORIGINS) must be');
    const unknown = await runMain(['--issuer', 'https://x.example']);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain("Unknown option '--issuer'");
  });
});

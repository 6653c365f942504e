import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandPaths } from '../../packages/cli/test/helpers/command-paths.ts';
import { assertBuiltCli, caracal, CLI_BIN, cleanEnv, collect, shell } from './helpers/built-cli.ts';

beforeAll(() => {
  assertBuiltCli();
});

// Every command of the program, aliases and groups included, as commander holds it.
const COMMANDS = commandPaths().map((command) => command.path);

describe('the built caracal binary: usage', () => {
  it('answers --help on every command with usage and the exit codes on stdout, exit 0', async () => {
    const results = await Promise.all(COMMANDS.map((path) => caracal([...path, '--help'])));
    results.forEach((result, index) => {
      const name = ['caracal', ...COMMANDS[index]!].join(' ');
      expect(result.code, name).toBe(0);
      expect(result.stdout, name).toMatch(/^Usage: caracal/);
      expect(result.stdout, name).toContain('Exit codes:');
      expect(result.stderr, name).toBe('');
    });
  });

  it('answers an unknown command and an unknown flag with usage on stderr, exit 2', async () => {
    const unknownCommand = await caracal(['agents', 'list']);
    expect(unknownCommand).toMatchObject({ code: 2, stdout: '' });
    expect(unknownCommand.stderr).toMatch(/^error: unknown command 'agents'\n/);
    expect(unknownCommand.stderr).toContain('Usage: caracal [options] [command]');
    const unknownFlag = await caracal(['delegation', 'revoke', 'deledge_x0000000000000000000000000', '--force']);
    expect(unknownFlag).toMatchObject({ code: 2, stdout: '' });
    expect(unknownFlag.stderr).toMatch(/^error: unknown option '--force'\n/);
    expect(unknownFlag.stderr).toContain('Usage: caracal delegation revoke [options] <edge>');
  });

  it('prints the exact documented errors when a coordinator setting is missing, exit 3', async () => {
    const noUrl = await caracal(['agent', 'list'], { CARACAL_COORDINATOR_TOKEN: 'token', CARACAL_ZONE_ID: 'zone_x' });
    expect(noUrl).toMatchObject({ code: 3, stdout: '', stderr: 'coordinator URL not set — export CARACAL_COORDINATOR_URL\n' });
    const noToken = await caracal(['delegation', 'outbound', 'agentsess_x0000000000000000000000000'], { CARACAL_COORDINATOR_URL: 'http://127.0.0.1:4000', CARACAL_ZONE_ID: 'zone_x' });
    expect(noToken).toMatchObject({ code: 3, stdout: '', stderr: 'coordinator token not set — export CARACAL_COORDINATOR_TOKEN\n' });
  });

  it('stops quietly when the reader closes the pipe early (| head)', async () => {
    const result = await shell('caracal --help | head -1 && caracal --help | true');
    expect(result).toMatchObject({ code: 0, stdout: 'Usage: caracal [options] [command]\n', stderr: '' });
  });

  it('reports an unreachable coordinator with exit 1', async () => {
    const result = await caracal(['agent', 'list'], { CARACAL_COORDINATOR_URL: 'http://127.0.0.1:1', CARACAL_COORDINATOR_TOKEN: 't', CARACAL_ZONE_ID: 'z' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^cannot reach http:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/);
  });
});

describe('the built caracal binary: what it loads', () => {
  const distFolder = join(CLI_BIN, '..');
  let logFolder: string;
  beforeAll(() => {
    logFolder = mkdtempSync(join(tmpdir(), 'caracal-loads-'));
  });
  afterAll(() => {
    rmSync(logFolder, { recursive: true, force: true });
  });

  const loadsOf = async (name: string, args: string[], env: Record<string, string> = {}): Promise<string[]> => {
    const log = join(logFolder, `${name}.log`);
    const hook = fileURLToPath(new URL('helpers/record-module-loads.ts', import.meta.url));
    await collect(spawn(process.execPath, ['--import', hook, CLI_BIN, ...args], { env: cleanEnv({ ...env, CARACAL_TEST_MODULE_LOG: log }), stdio: ['ignore', 'pipe', 'pipe'] }));
    return readFileSync(log, 'utf8').trim().split('\n');
  };

  it('never imports @caracal/server statically in any built file', () => {
    for (const file of readdirSync(distFolder).filter((name) => name.endsWith('.js'))) {
      const text = readFileSync(join(distFolder, file), 'utf8');
      expect(text, file).not.toMatch(/from\s*["']@caracal\/server["']/);
      expect(text, file).not.toMatch(/import\s*["']@caracal\/server["']/);
    }
  });

  it('loads neither the server nor undici for --help, and not the server for a client command', async () => {
    const help = await loadsOf('help', ['--help']);
    expect(help.some((url) => url.includes('/dist/run-'))).toBe(true);
    expect(help.filter((url) => /packages\/server|@caracal\/server|undici/.test(url))).toEqual([]);
    const client = await loadsOf('client', ['agent', 'list'], { CARACAL_COORDINATOR_URL: 'http://127.0.0.1:1', CARACAL_COORDINATOR_TOKEN: 't', CARACAL_ZONE_ID: 'z' });
    expect(client.some((url) => url.includes('undici'))).toBe(true);
    expect(client.filter((url) => /packages\/server|@caracal\/server|fastify|pglite/.test(url))).toEqual([]);
  });
});

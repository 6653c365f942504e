import { describe, expect, it } from 'vitest';
import { run } from '../../src/run.ts';
import { commandPaths } from '../helpers/command-paths.ts';
import { fakeIo } from '../helpers/fake-io.ts';

const COMMANDS = commandPaths();
const EVERY_COMMAND = COMMANDS.map((command) => command.path);

describe('usage', () => {
  it('walks the same command tree the root help lists', async () => {
    const io = fakeIo();
    await run(['--help'], io);
    const listed = [...io.out().matchAll(/^ {2}([a-z]+)\b/gm)].map((match) => match[1]).filter((name) => name !== 'help');
    expect(EVERY_COMMAND.filter((path) => path.length === 1).map(([name]) => name)).toEqual(listed);
  });

  it.each(EVERY_COMMAND.map((path) => [path.join(' ') || '(root)', path]))('%s --help prints usage and the exit codes, exit 0', async (_name, path) => {
    const io = fakeIo();
    const code = await run([...path, '--help'], io);
    expect(code).toBe(0);
    expect(io.out()).toMatch(/^Usage: caracal/);
    expect(io.out()).toContain('Exit codes:\n  0  success\n  1  ');
    expect(io.err()).toBe('');
  });

  it('documents the zone and json flags on every operator command', async () => {
    for (const { path } of COMMANDS.filter(({ path, group }) => !group && (path[0] === 'agent' || path[0] === 'delegation'))) {
      const io = fakeIo();
      await run([...path, '--help'], io);
      expect(io.out()).toContain('--zone <id>');
      expect(io.out()).toContain('--json');
    }
  });

  it('documents --json, and no --zone (the zone is the token\'s), on every session command', async () => {
    const sessionCommands = COMMANDS.filter(({ path, group }) => !group && path[0] === 'session').map(({ path }) => path.join(' '));
    expect(sessionCommands).toEqual(['session list', 'session get', 'session events', 'session result', 'session delete']);
    for (const command of sessionCommands) {
      const io = fakeIo();
      await run([...command.split(' '), '--help'], io);
      expect(io.out()).toContain('--json');
      expect(io.out()).not.toContain('--zone');
    }
  });

  it('answers an unknown command with the error and usage on stderr, exit 2', async () => {
    const io = fakeIo();
    expect(await run(['agnet', 'list'], io)).toBe(2);
    expect(io.out()).toBe('');
    expect(io.err()).toMatch(/^error: unknown command 'agnet'/);
    expect(io.err()).toContain('Usage: caracal');
  });

  it('answers an unknown subcommand, an unknown flag, a missing or extra argument with exit 2', async () => {
    for (const argv of [['agent', 'kill', 'x'], ['agent', 'list', '--all'], ['agent', 'get'], ['agent', 'get', 'a', 'b'], ['agent']]) {
      const io = fakeIo();
      expect(await run(argv, io), argv.join(' ')).toBe(2);
      expect(io.out()).toBe('');
      expect(io.err()).toContain('Usage: caracal');
    }
  });

  it('prints the version', async () => {
    const io = fakeIo();
    expect(await run(['--version'], io)).toBe(0);
    expect(io.out()).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});

describe('missing coordinator settings', () => {
  // Every client command (agent …, delegation …, session …) with a placeholder for each required id.
  const placeholders: Record<string, string> = { session: 'agentsess_x0000000000000000000000000', edge: 'deledge_x0000000000000000000000000' };
  const operatorCommands = COMMANDS.filter(({ path, group }) => !group && ['agent', 'delegation', 'session'].includes(path[0]!)).map(({ path, requiredArguments }) => [
    ...path,
    ...requiredArguments.map((name) => placeholders[name] ?? `${name}_x`),
  ]);

  it.each(operatorCommands.map((argv) => [argv.join(' '), argv]))('%s names each missing variable exactly, exit 3', async (_name, argv) => {
    const noUrl = fakeIo({ env: { CARACAL_COORDINATOR_TOKEN: 't', CARACAL_ZONE_ID: 'z' } });
    expect(await run(argv, noUrl)).toBe(3);
    expect(noUrl.err()).toBe('coordinator URL not set — export CARACAL_COORDINATOR_URL\n');
    const noToken = fakeIo({ env: { CARACAL_COORDINATOR_URL: 'http://127.0.0.1:4000', CARACAL_ZONE_ID: 'z' } });
    expect(await run(argv, noToken)).toBe(3);
    expect(noToken.err()).toBe('coordinator token not set — export CARACAL_COORDINATOR_TOKEN\n');
    expect(noUrl.out() + noToken.out()).toBe('');
  });

  it('names both when both are missing, and treats empty variables as unset', async () => {
    const io = fakeIo({ env: { CARACAL_COORDINATOR_URL: '', CARACAL_COORDINATOR_TOKEN: ' ' } });
    expect(await run(['agent', 'list'], io)).toBe(3);
    expect(io.err()).toBe('coordinator URL not set — export CARACAL_COORDINATOR_URL\ncoordinator token not set — export CARACAL_COORDINATOR_TOKEN\n');
  });

  it('asks for a zone when neither the flag, the variable nor the token name one', async () => {
    const io = fakeIo({ env: { CARACAL_COORDINATOR_URL: 'http://127.0.0.1:4000', CARACAL_COORDINATOR_TOKEN: 'opaque' } });
    expect(await run(['agent', 'list'], io)).toBe(3);
    expect(io.err()).toBe('zone not set — pass --zone <id>, export CARACAL_ZONE_ID, or use a token with a zone_id claim\n');
  });

  it('rejects a URL that is not http(s)', async () => {
    const io = fakeIo({ env: { CARACAL_COORDINATOR_URL: 'localhost:4000', CARACAL_COORDINATOR_TOKEN: 't', CARACAL_ZONE_ID: 'z' } });
    expect(await run(['agent', 'list'], io)).toBe(3);
    expect(io.err()).toBe('CARACAL_COORDINATOR_URL must be an http:// or https:// URL: localhost:4000\n');
  });

  it('reports an unreachable server with exit 1', async () => {
    const io = fakeIo({ env: { CARACAL_COORDINATOR_URL: 'http://127.0.0.1:1', CARACAL_COORDINATOR_TOKEN: 't', CARACAL_ZONE_ID: 'z' } });
    expect(await run(['agent', 'list'], io)).toBe(1);
    expect(io.err()).toMatch(/^cannot reach http:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/);
  });
});

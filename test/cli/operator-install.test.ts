import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnGraph, type AgentGraph } from './helpers/agent-graph.ts';
import { assertBuiltCli, cleanEnv, collect, type ProcessResult } from './helpers/built-cli.ts';
import { tableRows } from './helpers/operator.ts';
import { startRealServer, type RealServer } from './helpers/real-server.ts';

const run = promisify(execFile);
const CLI_PACKAGE = fileURLToPath(new URL('../../packages/cli/', import.meta.url));

// An operator's machine: the packed CLI tarball installed with npm into a folder outside the
// workspace (so nothing resolves to the workspace's server), its own dependencies from the npm
// registry, and no @caracal/server. One install per run keeps this file to seconds.
describe('an operator-only npm install of the packed CLI (no @caracal/server)', { timeout: 180_000 }, () => {
  let folder: string;
  let installedBin: string;
  let server: RealServer;
  let graph: AgentGraph;

  const installed = (args: string[], env: Record<string, string> = {}): Promise<ProcessResult> =>
    collect(spawn(process.execPath, [installedBin, ...args], { cwd: folder, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] }));

  beforeAll(async () => {
    assertBuiltCli();
    folder = mkdtempSync(join(tmpdir(), 'caracal-operator-'));
    const { stdout } = await run('pnpm', ['pack', '--pack-destination', folder, '--json'], { cwd: CLI_PACKAGE });
    const tarball = (JSON.parse(stdout) as { filename: string }).filename;
    writeFileSync(join(folder, 'package.json'), JSON.stringify({ name: 'operator-machine', private: true }));
    await run('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--ignore-scripts', '--loglevel=error', tarball], { cwd: folder });
    installedBin = join(folder, 'node_modules', '.bin', 'caracal');
    server = await startRealServer();
    graph = await spawnGraph(server);
  }, 180_000);

  afterAll(async () => {
    await server?.close();
    if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
  });

  it('installs the caracal command without the server', () => {
    expect(existsSync(installedBin)).toBe(true);
    expect(existsSync(join(folder, 'node_modules', '@caracal', 'server'))).toBe(false);
    const manifest = JSON.parse(readFileSync(join(folder, 'node_modules', '@caracal', 'cli', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(manifest.dependencies)).not.toContain('@caracal/server');
  });

  it('runs caracal agent list against a real server', async () => {
    const result = await installed(['agent', 'list'], server.operatorEnv);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const [header, ...rows] = tableRows(result.stdout);
    expect(header).toEqual(['id', 'application_id', 'parent_id', 'status', 'depth', 'spawned_at', 'terminated_at']);
    expect(rows.map((row) => row[0])).toEqual(expect.arrayContaining([graph.root, graph.child, graph.grandchild, graph.sibling]));
  });

  it('caracal server start asks for @caracal/server by name, exit 3', async () => {
    const result = await installed(['server', 'start', '--port', '0']);
    expect(result).toEqual({ code: 3, signal: null, stdout: '', stderr: 'caracal server start needs @caracal/server: npm install @caracal/server\n' });
  });
});

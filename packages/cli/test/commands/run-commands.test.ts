import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '@caracal/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/run.ts';
import { fakeIo } from '../helpers/fake-io.ts';

const ADMIN_TOKEN = 'run-commands-admin';

/** `caracal run …` and `caracal runner …` against a real embedded server. */
describe('caracal run and runner', () => {
  let server: RunningServer;
  let token: string;
  let runnerId: string;
  // A run names a blueprint of the registry: this file's own, in a folder of its own.
  const agentsDir = mkdtempSync(join(tmpdir(), 'caracal-cli-runs-'));

  const admin = async (path: string, body: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return (await response.json()) as Record<string, string>;
  };
  const caracal = async (argv: string[]) => {
    const io = fakeIo({ env: { CARACAL_COORDINATOR_URL: server.url, CARACAL_COORDINATOR_TOKEN: token } });
    const code = await run(argv, io);
    return { code, stdout: io.out(), stderr: io.err() };
  };

  beforeAll(async () => {
    server = await startServer({ port: 0, adminToken: ADMIN_TOKEN, logger: false, jobs: false, agentsDir });
    await admin('/admin/zones', { id: 'zone_cli_runs' });
    const application = await admin('/admin/zones/zone_cli_runs/applications', { id: 'app_cli', scopes: ['tools:call'] });
    const answer = await fetch(`${server.url}/oauth/2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'app_cli', client_secret: application.client_secret! }),
    });
    token = ((await answer.json()) as { access_token: string }).access_token;
    const operator = await admin('/admin/zones/zone_cli_runs/operator-token', {});
    const blueprint = await fetch(`${server.url}/agents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${operator.access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'poet', description: 'writes poems' }),
    });
    expect(blueprint.status).toBe(201);
    const registered = await fetch(`${server.url}/runner/register`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ hostname: 'cli-host', project_dir: '/p', executor_profile: 'default', executor: { type: 'test' }, blueprints: ['nothing-runs-this'] }),
    });
    runnerId = ((await registered.json()) as { runner_id: string }).runner_id;
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    rmSync(agentsDir, { recursive: true, force: true });
  });

  it('starts, lists, gets and stops a run', async () => {
    const started = await caracal(['run', 'start', '--prompt', 'write a poem', '--agent', 'poet', '--project-dir', '/tmp/poems']);
    expect(started, started.stderr).toMatchObject({ code: 0, stderr: '' });
    const [, runId, sessionId] = /^started (run_[0-9a-z]{26}) (agentsess_[0-9a-z]{26})\n$/.exec(started.stdout) ?? [];
    expect(runId).toBeDefined();

    const listed = await caracal(['run', 'list']);
    expect(listed.code).toBe(0);
    const lines = listed.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^run_id\s+session_id\s+agent_name\s+status\s+runner_id\s+created_at$/);
    expect(lines[1]).toMatch(new RegExp(`^${runId}\\s+${sessionId}\\s+poet\\s+pending\\s+-\\s+\\d{4}-`));

    const json = JSON.parse((await caracal(['run', 'list', '--json', '--status', 'pending'])).stdout) as Array<Record<string, unknown>>;
    expect(json).toEqual([expect.objectContaining({ run_id: runId, parameters: { prompt: 'write a poem' }, project_dir: '/tmp/poems' })]);
    expect(JSON.parse((await caracal(['run', 'list', '--json', '--status', 'running'])).stdout)).toEqual([]);

    const got = await caracal(['run', 'get', runId!, '--json']);
    expect(JSON.parse(got.stdout)).toMatchObject({ run_id: runId, status: 'pending', agent_name: 'poet' });

    const stopped = await caracal(['run', 'stop', runId!]);
    expect(stopped).toMatchObject({ code: 0, stdout: `stopped ${runId}\n` });
    const again = await caracal(['run', 'stop', runId!]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('invalid_transition');
  });

  it('lists and removes runners', async () => {
    const listed = await caracal(['runner', 'list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^runner_id\s+hostname\s+project_dir\s+executor_profile\s+status\s+last_heartbeat_at\n/);
    expect(listed.stdout).toContain(`${runnerId}  cli-host`);
    expect(await caracal(['runner', 'remove', runnerId])).toMatchObject({ code: 0, stdout: `removed ${runnerId}\n` });
    expect(JSON.parse((await caracal(['runner', 'list', '--json'])).stdout)).toEqual([]);
  });

  it('refuses malformed ids before any request (exit 2) and reports an unknown run (exit 1)', async () => {
    expect((await caracal(['run', 'get', '../etc'])).code).toBe(2);
    expect((await caracal(['runner', 'remove', 'runner_x'])).code).toBe(2);
    expect((await caracal(['run', 'list', '--status', 'bogus'])).code).toBe(2);
    const unknown = await caracal(['run', 'get', 'run_0000000000aaaaaaaaaaaaaaaa']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('not_found');
  });
});

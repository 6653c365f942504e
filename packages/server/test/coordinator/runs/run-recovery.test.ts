import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecoveryMode } from '../../../src/coordinator/runs/run-settings.ts';
import { startServer, type RunningServer } from '../../../src/start-server.ts';
import { serverContextOf } from '../../../src/server-context.ts';
import { dropSchema, serverOptionsOn, testBackends } from '../../helpers/backends.ts';
import { writeBlueprint } from './run-blueprints.ts';
import { runsZone, serverRunsClient, type ServerRunsClient } from './server-runs-client.ts';

const ADMIN_TOKEN = 'recovery-admin-token';
const STATES = ['claimed', 'running', 'stopping'] as const;
type Runner = 'old' | 'recent' | 'live';

/**
 * Recovery at start, with real restarts of a server on one persistent database. Three runners hold
 * a claimed, a running and a stopping run each: `old` is silent and its runs untouched for ten
 * minutes, `recent` is silent but its runs just moved, `live` keeps heartbeating (it could be
 * another replica's runner). Each restart runs one mode and checks what moved.
 */
describe.each(testBackends())('run recovery at start on $name', (backend) => {
  const schema = backend.schema();
  let dataDir: string | undefined;
  let agentsDir: string;
  let server: RunningServer | undefined;
  let client: ServerRunsClient;
  const runners = {} as Record<Runner, string>;
  const runs = {} as Record<Runner, Record<(typeof STATES)[number], string>>;

  const start = async (recoveryMode: RunRecoveryMode) => {
    server = await startServer({
      port: 0,
      adminToken: ADMIN_TOKEN,
      jobs: false,
      logger: false,
      // One issuer across restarts (the port changes), so the mandate minted first stays valid.
      issuer: 'https://caracal.recovery.test',
      ...serverOptionsOn(backend, schema, false),
      ...(dataDir === undefined ? {} : { dataDir }),
      agentsDir,
      runs: { recoveryMode },
    });
  };
  const restart = async (recoveryMode: RunRecoveryMode) => {
    // The live runner heartbeats up to the restart.
    expect((await client.call('POST', '/runner/heartbeat', { runner_id: runners.live })).status).toBe(200);
    await server!.close();
    await start(recoveryMode);
  };
  const statuses = async () => {
    const answer: Record<string, string> = {};
    for (const runner of ['old', 'recent', 'live'] as const) {
      for (const state of STATES) answer[`${runner}:${state}`] = (await client.call('GET', `/runs/${runs[runner][state]}`)).body.run!.status;
    }
    return answer;
  };
  const query = (sql: string, params: unknown[]) => serverContextOf(server!).database.query(sql, params);

  beforeAll(async () => {
    if (backend.databaseUrl === undefined) dataDir = await mkdtemp(join(tmpdir(), 'caracal-recovery-'));
    agentsDir = await mkdtemp(join(tmpdir(), 'caracal-recovery-agents-'));
    await start('none');
    const token = await runsZone(server!.url, ADMIN_TOKEN, 'zone_recovery');
    client = serverRunsClient(() => server!.url, token);
    for (const runner of ['old', 'recent', 'live'] as const) {
      writeBlueprint(agentsDir, 'zone_recovery', `bp-${runner}`);
      const registered = await client.call('POST', '/runner/register', {
        hostname: `host-${runner}`,
        project_dir: '/p',
        executor_profile: 'default',
        executor: { type: 'test' },
        blueprints: [`bp-${runner}`],
      });
      runners[runner] = registered.body.runner_id!;
      runs[runner] = {} as Record<(typeof STATES)[number], string>;
      for (const state of STATES) {
        const created = await client.call('POST', '/runs', { type: 'start_session', agent_name: `bp-${runner}`, parameters: { prompt: state } });
        const runId = created.body.run_id!;
        runs[runner][state] = runId;
        const polled = await client.call('GET', `/runner/runs?runner_id=${runners[runner]}&wait_seconds=0`);
        expect(polled.body.run?.run_id).toBe(runId);
        if (state !== 'claimed') expect((await client.call('POST', `/runner/runs/${runId}/started`, { runner_id: runners[runner] })).status).toBe(200);
        if (state === 'stopping') expect((await client.call('POST', `/runs/${runId}/stop`)).status).toBe(200);
      }
    }
    // Silence: the old and recent runners last spoke ten minutes ago; the old runner's runs have not moved since.
    await query(`UPDATE runners SET last_heartbeat_at = now() - interval '10 minutes' WHERE id = ANY ($1::text[])`, [[runners.old, runners.recent]]);
    await query(`UPDATE runs SET updated_at = now() - interval '10 minutes' WHERE runner_id = $1`, [runners.old]);
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await dropSchema(schema);
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
    await rm(agentsDir, { recursive: true, force: true });
  });

  const unchanged = { claimed: 'claimed', running: 'running', stopping: 'stopping' };
  const recovered = { claimed: 'pending', running: 'failed', stopping: 'stopped' };
  const expected = (byRunner: Record<Runner, Record<string, string>>) =>
    Object.fromEntries((['old', 'recent', 'live'] as const).flatMap((runner) => STATES.map((state) => [`${runner}:${state}`, byRunner[runner][state]])));

  it('none: leaves every run as it was', async () => {
    await restart('none');
    expect(await statuses()).toEqual(expected({ old: unchanged, recent: unchanged, live: unchanged }));
  }, 60_000);

  it('stale: recovers the runs untouched for five minutes of silent runners only', async () => {
    await restart('stale');
    expect(await statuses()).toEqual(expected({ old: recovered, recent: unchanged, live: unchanged }));
    const failed = (await client.call('GET', `/runs/${runs.old.running}`)).body.run!;
    expect(failed.error).toContain('recovery_stale');
  }, 60_000);

  it("all: recovers every silent runner's runs, never a live runner's", async () => {
    await restart('all');
    expect(await statuses()).toEqual(expected({ old: recovered, recent: recovered, live: unchanged }));
    // The failed and stopped runs' sessions ended with them.
    const { rows } = await query('SELECT run_status, status FROM agent_sessions WHERE id = (SELECT session_id FROM runs WHERE id = $1)', [runs.recent.running]);
    expect(rows).toEqual([{ run_status: 'failed', status: 'terminated' }]);
  }, 60_000);
});

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchema } from '../../packages/server/test/helpers/backends.ts';
import { createAdminZone, sessionToken } from '../../packages/server/test/faults/support/admin-setup.ts';
import { startServerProcess, type ServerProcess } from '../../packages/server/test/faults/support/server-process.ts';
import { startRunnerChild, type RunnerChild } from './runner-support/runner-child.ts';

const databaseUrl = process.env.CARACAL_TEST_DATABASE_URL;
const ADMIN_TOKEN = 'runner-recovery-admin-token';
type Mode = 'stale' | 'all' | 'none';

/** A port the OS picked, free again: every restart of the Coordinator listens on it, so the runner's URL holds. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Coordinator processes killed with SIGKILL and started again in each RUN_RECOVERY_MODE, with an
 * SDK runner process that lives through every restart (docs/runs.md, Recovery at start). Before
 * each start the database is aged as a ten-minute outage leaves it: the runner's heartbeat is old,
 * run A is untouched for ten minutes, run B moved just now. What recovery took is read the moment
 * the server listens; then the runner (registered again, same id) finishes what it still holds.
 * No run is lost or executed twice.
 */
describe.runIf(databaseUrl !== undefined)('Coordinator processes killed and restarted under an SDK runner process', () => {
  const schema = `runner_rec_${randomBytes(6).toString('hex')}`;
  const zoneId = `zone_rec_${randomBytes(4).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'caracal-runner-recovery-'));
  let database: pg.Client;
  let env: Record<string, string>;
  let server: ServerProcess | undefined;
  let runner: RunnerChild;
  let token: string;
  let url: string;

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    env = {
      DATABASE_URL: databaseUrl!,
      DATABASE_SCHEMA: schema,
      PORT: String(port),
      CARACAL_PUBLIC_URL: url,
      CARACAL_ADMIN_TOKEN: ADMIN_TOKEN,
      CARACAL_EVENT_SECRET: 'runner-recovery-event-secret',
      CARACAL_KEY_SECRET: 'runner-recovery-key-secret',
      AGENT_ORCHESTRATOR_AGENTS_DIR: dir,
      RUN_RECOVERY_MODE: 'none',
    };
    server = await startServerProcess(env);
    const zone = await createAdminZone(url, ADMIN_TOKEN, { zoneId, applications: { app_rec: ['tools:call'] } });
    const application = zone.applications.app_rec!;
    token = await sessionToken(url, application);
    database = new pg.Client({ connectionString: databaseUrl });
    await database.connect();
    await database.query(`SET search_path TO "${schema}"`);
    runner = await startRunnerChild({
      CARACAL_COORDINATOR_URL: url,
      CARACAL_ZONE_ID: zoneId,
      CARACAL_CLIENT_ID: application.id,
      CARACAL_CLIENT_SECRET: application.secret,
      RUNNER_PROFILE: 'recovery',
    });
  }, 120_000);

  afterAll(async () => {
    await runner?.kill('SIGKILL');
    await server?.kill('SIGKILL');
    await database?.end();
    await dropSchema(schema);
    rmSync(dir, { recursive: true, force: true });
  });

  async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown> };
  }

  const statusOf = async (runId: string): Promise<string> => (await database.query<{ status: string }>('SELECT status FROM runs WHERE id = $1', [runId])).rows[0]!.status;

  async function settles(runId: string, statuses: string[]): Promise<string> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const status = await statusOf(runId);
      if (statuses.includes(status)) return status;
      if (Date.now() > deadline) throw new Error(`run ${runId} is still ${status}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  const EXPECTED: Record<Mode, { A: string; B: string }> = {
    stale: { A: 'failed', B: 'running' },
    all: { A: 'failed', B: 'failed' },
    none: { A: 'running', B: 'running' },
  };

  it.each(['stale', 'all', 'none'] as const)('RUN_RECOVERY_MODE=%s: recovery takes what the mode says, the runner finishes the rest', async (mode) => {
    const runs: Record<'A' | 'B', string> = { A: '', B: '' };
    for (const name of ['A', 'B'] as const) {
      const created = await call('POST', '/runs', { type: 'start_session', parameters: { prompt: `${mode} ${name}`, hold: 'file', go_file: join(dir, `${mode}-${name}.go`) } });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      runs[name] = created.body.run_id as string;
    }
    for (const runId of Object.values(runs)) {
      await runner.waitFor((fact) => fact.event === 'execute' && fact.run_id === runId, `run ${runId} executing`);
      await settles(runId, ['running']);
    }

    await server!.kill('SIGKILL');
    // The outage, as the database sees it after ten minutes.
    await database.query(`UPDATE runners SET last_heartbeat_at = now() - interval '10 minutes'`);
    await database.query(`UPDATE runs SET updated_at = now() - interval '10 minutes' WHERE id = $1`, [runs.A]);
    server = await startServerProcess({ ...env, RUN_RECOVERY_MODE: mode });
    expect({ A: await statusOf(runs.A), B: await statusOf(runs.B) }).toEqual(EXPECTED[mode]);

    for (const name of ['A', 'B'] as const) writeFileSync(join(dir, `${mode}-${name}.go`), '');
    for (const name of ['A', 'B'] as const) {
      const expected = EXPECTED[mode][name] === 'running' ? 'completed' : 'failed';
      expect(await settles(runs[name], ['completed', 'failed', 'stopped'])).toBe(expected);
    }
    // Each run executed once, and nothing of this zone is left under way.
    const executed = runner.facts.filter((fact) => fact.event === 'execute').map((fact) => fact.run_id);
    expect(new Set(executed).size).toBe(executed.length);
    const open = await database.query(`SELECT id, status FROM runs WHERE zone_id = $1 AND status NOT IN ('completed', 'failed', 'stopped')`, [zoneId]);
    expect(open.rows).toEqual([]);
  });
});

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Caracal } from '@caracal/sdk';
import { createRunner, type Runner } from '@caracal/sdk/runner';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchema } from '../../packages/server/test/helpers/backends.ts';
import { createAdminZone } from '../../packages/server/test/faults/support/admin-setup.ts';
import { startServerProcess, type ServerProcess } from '../../packages/server/test/faults/support/server-process.ts';

const databaseUrl = process.env.CARACAL_TEST_DATABASE_URL;
const redisUrl = process.env.CARACAL_TEST_REDIS_URL;
const ADMIN_TOKEN = 'runner-two-servers-admin-token';
const RUNS = 1000;
const RUNNERS = 8;
const CREATORS = 16;
/** Runs under way at once: each holds a live session, and an application may hold 50 in a zone. */
const MAX_UNDER_WAY = 40;

/**
 * Two server processes on one Postgres, 8 SDK runners (four on each), 1,000 runs created on both:
 * every run is executed exactly once and completes, and none is lost.
 */
describe.runIf(databaseUrl !== undefined)('1,000 runs through 8 SDK runners and two server processes on one Postgres', () => {
  const schema = `runner_two_${randomBytes(6).toString('hex')}`;
  const zoneId = `zone_two_${randomBytes(4).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'caracal-runner-two-'));
  const servers: ServerProcess[] = [];
  const clients: Caracal[] = [];
  const runners: Runner[] = [];

  beforeAll(async () => {
    const env = {
      DATABASE_URL: databaseUrl!,
      DATABASE_SCHEMA: schema,
      ...(redisUrl === undefined ? {} : { REDIS_URL: redisUrl, CARACAL_REDIS_KEY_PREFIX: `${schema}:` }),
      CARACAL_PUBLIC_URL: 'https://caracal.runner-two.test',
      CARACAL_ADMIN_TOKEN: ADMIN_TOKEN,
      CARACAL_EVENT_SECRET: 'runner-two-event-secret',
      CARACAL_KEY_SECRET: 'runner-two-key-secret',
      AGENT_ORCHESTRATOR_AGENTS_DIR: dir,
    };
    // One first, so the schema is migrated once.
    servers.push(await startServerProcess(env));
    servers.push(await startServerProcess(env));
    const zone = await createAdminZone(servers[0]!.url, ADMIN_TOKEN, { zoneId, applications: { app_two: ['tools:call'] } });
    const application = zone.applications.app_two!;
    for (const server of servers) clients.push(new Caracal({ coordinatorUrl: server.url, zoneId, clientId: application.id, clientSecret: application.secret }));
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled(runners.map((runner) => runner.close()));
    await Promise.allSettled(clients.map((client) => client.close()));
    await Promise.all(servers.map((server) => server.kill('SIGTERM')));
    await dropSchema(schema);
    rmSync(dir, { recursive: true, force: true });
  });

  it(`executes each of ${RUNS} runs exactly once and loses none`, async () => {
    const executed = new Map<string, number>();
    for (let index = 0; index < RUNNERS; index++) {
      runners.push(
        await createRunner({
          caracal: clients[index % 2]!,
          hostname: `runner-${index}`,
          projectDir: '/two',
          pollWaitSeconds: 10,
          execute: (run) => {
            executed.set(run.run_id, (executed.get(run.run_id) ?? 0) + 1);
            return { n: run.parameters.n };
          },
        }),
      );
    }
    expect(new Set(runners.map((runner) => runner.runnerId)).size).toBe(RUNNERS);
    const created: string[] = [];
    let creating = 0;
    /** Runs whose sessions are live: created and not yet executed, or held by a runner until its report is in. */
    const underWay = (): number => created.length + creating - executed.size + runners.reduce((sum, runner) => sum + runner.activeRuns, 0);
    const started = Date.now();
    let next = 0;
    const creator = async (slot: number): Promise<void> => {
      for (;;) {
        if (next >= RUNS) return;
        // Stay within the zone's 50 live sessions per application (bounded wait on a condition).
        const deadline = Date.now() + 60_000;
        while (underWay() >= MAX_UNDER_WAY) {
          if (Date.now() > deadline) throw new Error(`${underWay()} runs still under way after 60 s`);
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
        if (next >= RUNS) return;
        const n = next++;
        const side = (slot + n) % 2;
        creating += 1;
        const response = await fetch(`${servers[side]!.url}/runs`, {
          method: 'POST',
          headers: { authorization: `Bearer ${await clients[side]!.sessionMandate()}`, 'content-type': 'application/json' },
          body: JSON.stringify({ type: 'start_session', parameters: { prompt: `run ${n}`, n } }),
        }).finally(() => (creating -= 1));
        const body = (await response.json()) as { run_id: string };
        expect(response.status, JSON.stringify(body)).toBe(201);
        created.push(body.run_id);
      }
    };
    await Promise.all(Array.from({ length: CREATORS }, (_, slot) => creator(slot)));

    const database = new pg.Client({ connectionString: databaseUrl });
    await database.connect();
    try {
      await database.query(`SET search_path TO "${schema}"`);
      const statuses = async (): Promise<Record<string, number>> => {
        const { rows } = await database.query<{ status: string; count: string }>('SELECT status, count(*) AS count FROM runs WHERE zone_id = $1 GROUP BY status', [zoneId]);
        return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
      };
      const deadline = Date.now() + 60_000;
      while ((await statuses()).completed !== RUNS && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      const seconds = (Date.now() - started) / 1000;
      console.log(`${RUNS} runs through ${RUNNERS} runners on two server processes in ${seconds.toFixed(1)} s (${(RUNS / seconds).toFixed(0)} runs/s, ${CREATORS} creators)`);

      expect(created).toHaveLength(RUNS);
      expect(await statuses()).toEqual({ completed: RUNS });
      expect([...executed.values()].every((count) => count === 1)).toBe(true);
      expect([...executed.keys()].sort()).toEqual([...created].sort());
      // Each run was claimed once: one run_claimed fact per run.
      const claims = await database.query<{ count: string }>("SELECT count(*) AS count FROM session_events WHERE event_type = 'run_claimed' AND run_id = ANY($1::text[])", [created]);
      expect(Number(claims.rows[0]!.count)).toBe(RUNS);
    } finally {
      await database.end();
    }
  }, 180_000);
});

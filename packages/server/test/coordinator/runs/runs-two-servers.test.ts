import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverContextOf } from '../../../src/server-context.ts';
import { startServer, type RunningServer } from '../../../src/start-server.ts';
import { dropSchema, TEST_SECRETS } from '../../helpers/backends.ts';
import { runRunnerLoop } from './runner-loop.ts';
import { runsZone, serverRunsClient } from './server-runs-client.ts';

const databaseUrl = process.env.CARACAL_TEST_DATABASE_URL;
const ADMIN_TOKEN = 'two-servers-admin-token';
const RUNS = 1000;
const RUNNERS = 8;

/**
 * Two server instances on one Postgres: 1,000 runs created on both, taken by 8 runners
 * long-polling both. Every run is claimed exactly once and none is lost.
 */
describe.runIf(databaseUrl !== undefined)('runs through two servers on one Postgres', () => {
  const schema = `runs2_${randomBytes(6).toString('hex')}`;
  const servers: RunningServer[] = [];

  beforeAll(async () => {
    for (let index = 0; index < 2; index += 1) {
      servers.push(
        await startServer({
          port: 0,
          adminToken: ADMIN_TOKEN,
          logger: false,
          databaseUrl: databaseUrl!,
          databaseSchema: schema,
          issuer: 'https://caracal.two-servers.test',
          limits: { maxActivePerZoneApplication: RUNS + 10, maxActivePerApplication: RUNS + 10 },
          ...TEST_SECRETS,
        }),
      );
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
    await dropSchema(schema);
  });

  it(`claims each of ${RUNS} runs exactly once across ${RUNNERS} runners and two servers, and loses none`, async () => {
    const token = await runsZone(servers[0]!.url, ADMIN_TOKEN, 'zone_two_servers');
    const clients = servers.map((server) => serverRunsClient(() => server.url, token));
    const received: string[] = [];
    const stop = new AbortController();
    let allReceived!: () => void;
    const done = new Promise<void>((resolve) => (allReceived = resolve));
    const runnerIds: string[] = [];
    for (let index = 0; index < RUNNERS; index += 1) {
      const registered = await clients[index % 2]!.call('POST', '/runner/register', {
        hostname: `runner-${index}`,
        project_dir: '/p',
        executor_profile: 'default',
        executor: { type: 'test' },
      });
      runnerIds.push(registered.body.runner_id!);
    }
    const loops = runnerIds.map((runnerId, index) =>
      runRunnerLoop({
        client: clients[index % 2]!,
        runnerId,
        signal: stop.signal,
        onRun: (runId) => {
          received.push(runId);
          if (received.length === RUNS) allReceived();
        },
      }),
    );
    const created: string[] = [];
    // Sixteen creators at a time, alternating servers.
    for (let batch = 0; batch < RUNS; batch += 16) {
      const answers = await Promise.all(
        Array.from({ length: Math.min(16, RUNS - batch) }, (_, index) =>
          clients[(batch + index) % 2]!.call('POST', '/runs', { type: 'start_session', parameters: { prompt: `run ${batch + index}` } }),
        ),
      );
      for (const answer of answers) {
        expect(answer.status, JSON.stringify(answer.body)).toBe(201);
        created.push(answer.body.run_id!);
      }
    }
    await done;
    stop.abort();
    await Promise.all(loops);

    expect(new Set(received).size).toBe(RUNS);
    expect(received).toHaveLength(RUNS);
    expect(new Set(received)).toEqual(new Set(created));
    const database = serverContextOf(servers[1]!).database;
    const claims = await database.query<{ run_id: string; claims: number }>(
      `SELECT run_id, count(*)::int AS claims FROM session_events WHERE event_type = 'run_claimed' GROUP BY run_id`,
    );
    expect(claims.rows).toHaveLength(RUNS);
    expect(claims.rows.every((row) => row.claims === 1)).toBe(true);
    const states = await database.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM runs GROUP BY status');
    expect(states.rows).toEqual([{ status: 'completed', n: RUNS }]);
  }, 300_000);
});

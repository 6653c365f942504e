/**
 * Runs and runners on real Postgres: a server in its own process (its jobs running), 8 runners
 * long-polling it over HTTP.
 * - Dispatch latency: with the runners idle in their polls, one run at a time is created; the time
 *   from `POST /runs` returning to a runner holding the run (target p99 ≤ 50 ms).
 * - Dispatch rate: closed-loop creators keep runs coming while the 8 runners take each through
 *   claim → started → completed; completed runs per second (target ≥ 500/s).
 *
 * Run: `pnpm --filter @caracal/server run build && node bench/runs.ts`. `RUNS_LATENCY_SAMPLES`
 * (default 300), `RUNS_RATE_SECONDS` (20), `RUNS_CREATORS` (24); `DATABASE_URL` (default
 * postgres://root@127.0.0.1:5432/test, in a schema of its own, dropped after). Targets print as
 * PASS/MISS lines; timings never change the exit code (these machines are noisy).
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import pg from 'pg';
import { Pool } from 'undici';
import { applicationToken, createZone } from './support/admin.ts';
import { startServerProcess } from './support/server-process.ts';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
const LATENCY_SAMPLES = Number(process.env.RUNS_LATENCY_SAMPLES ?? 300);
const RATE_SECONDS = Number(process.env.RUNS_RATE_SECONDS ?? 20);
const CREATORS = Number(process.env.RUNS_CREATORS ?? 24);
const RUNNERS = 8;
const TARGET_P99_MS = 50;
const TARGET_RATE = 500;
const ADMIN_TOKEN = `runs-admin-${randomBytes(8).toString('hex')}`;
const schema = `bench_runs_${randomBytes(4).toString('hex')}`;

/** The fields of the answers the bench reads. */
interface BenchAnswer {
  run?: { run_id: string };
  run_id?: string;
  runner_id?: string;
  [field: string]: unknown;
}

function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))]!;
}

const server = await startServerProcess({
  DATABASE_URL,
  DATABASE_SCHEMA: schema,
  CARACAL_ADMIN_TOKEN: ADMIN_TOKEN,
  CARACAL_EVENT_SECRET: randomBytes(24).toString('hex'),
  CARACAL_KEY_SECRET: randomBytes(24).toString('hex'),
  CARACAL_PUBLIC_URL: 'https://caracal.runs.bench',
});
const pool = new Pool(server.url, { connections: 64, pipelining: 1 });
try {
  const applications = await createZone(pool, ADMIN_TOKEN, 'zone_runs_bench', { app_runs: ['tools:call'] });
  const token = await applicationToken(pool, applications.app_runs!);
  /** Answer times per route, to see where a run's time goes (the poll's includes its wait). */
  const timings = new Map<string, number[]>();
  const call = async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: BenchAnswer }> => {
    const began = performance.now();
    const response = await pool.request({
      method,
      path,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.body.text();
    const kind = path.startsWith('/runner/runs/') ? path.split('/').at(-1)! : path.split('?')[0]!;
    (timings.get(`${method} ${kind}`) ?? timings.set(`${method} ${kind}`, []).get(`${method} ${kind}`)!).push(performance.now() - began);
    return { status: response.statusCode, body: text === '' ? {} : (JSON.parse(text) as BenchAnswer) };
  };

  const receivedAt = new Map<string, number>();
  // A run may complete before its creator starts waiting for it (the runner is that fast).
  const waiters = new Map<string, () => void>();
  const completedEarly = new Set<string>();
  const markCompleted = (runId: string): void => {
    const wake = waiters.get(runId);
    if (wake === undefined) completedEarly.add(runId);
    else {
      waiters.delete(runId);
      wake();
    }
  };
  const whenCompleted = (runId: string): Promise<void> =>
    completedEarly.delete(runId) ? Promise.resolve() : new Promise((resolve) => waiters.set(runId, resolve));
  let completed = 0;
  let stopping = false;
  const runnerLoop = async (runnerId: string): Promise<void> => {
    while (!stopping) {
      const polled = await call('GET', `/runner/runs?runner_id=${runnerId}&wait_seconds=1`);
      const run = polled.body.run as { run_id: string } | undefined;
      if (polled.status !== 200 || run === undefined) continue;
      receivedAt.set(run.run_id, performance.now());
      await call('POST', `/runner/runs/${run.run_id}/started`, { runner_id: runnerId });
      const done = await call('POST', `/runner/runs/${run.run_id}/completed`, { runner_id: runnerId, status: 'completed', session_status: 'finished' });
      if (done.status !== 200) throw new Error(`completed: ${done.status} ${JSON.stringify(done.body)}`);
      completed += 1;
      markCompleted(run.run_id);
    }
  };
  const runnerIds: string[] = [];
  for (let index = 0; index < RUNNERS; index += 1) {
    const registered = await call('POST', '/runner/register', { hostname: `bench-${index}`, project_dir: '/p', executor_profile: 'default', executor: { type: 'bench' } });
    runnerIds.push(registered.body.runner_id as string);
  }
  const loops = runnerIds.map(runnerLoop);
  const create = async (): Promise<string> => {
    const answer = await call('POST', '/runs', { type: 'start_session', parameters: { prompt: 'bench' } });
    if (answer.status !== 201) throw new Error(`create: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body.run_id as string;
  };
  const createAndWait = async (): Promise<{ runId: string; returnedAt: number }> => {
    const runId = await create();
    const returnedAt = performance.now();
    await whenCompleted(runId);
    return { runId, returnedAt };
  };

  // Warm-up, then the latency phase: one run at a time, runners idle in their polls.
  for (let index = 0; index < 20; index += 1) await createAndWait();
  const latencies: number[] = [];
  for (let index = 0; index < LATENCY_SAMPLES; index += 1) {
    const { runId, returnedAt } = await createAndWait();
    latencies.push(Math.max(0, receivedAt.get(runId)! - returnedAt));
  }

  // The rate phase: closed-loop creators, each waiting for its run to complete before the next.
  timings.clear();
  const startedAt = performance.now();
  const completedBefore = completed;
  const until = startedAt + RATE_SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CREATORS }, async () => {
      while (performance.now() < until) await createAndWait();
    }),
  );
  const elapsed = (performance.now() - startedAt) / 1000;
  const rate = (completed - completedBefore) / elapsed;
  stopping = true;
  await Promise.all(loops);

  const check = new pg.Client({ connectionString: DATABASE_URL, options: `-c search_path=${schema}` });
  await check.connect();
  const claims = await check.query(`SELECT count(*)::int AS doubles FROM (SELECT run_id FROM session_events WHERE event_type = 'run_claimed' GROUP BY run_id HAVING count(*) > 1) AS d`);
  await check.end();

  const ms = (value: number) => `${value.toFixed(1)} ms`;
  console.log(`runs on Postgres, ${RUNNERS} long-polling runners, 1 server process (load average ${loadavg()[0]!.toFixed(1)})`);
  console.log(`  dispatch latency, ${LATENCY_SAMPLES} runs: p50 ${ms(percentile(latencies, 0.5))}  p90 ${ms(percentile(latencies, 0.9))}  p99 ${ms(percentile(latencies, 0.99))}  max ${ms(Math.max(...latencies))}`);
  console.log(`  dispatch rate, ${CREATORS} closed-loop creators for ${elapsed.toFixed(1)} s: ${rate.toFixed(0)} runs/s completed (${completed - completedBefore} runs)`);
  for (const [route, values] of timings) {
    if (route !== 'GET /runner/runs') console.log(`    ${route.padEnd(22)} p50 ${ms(percentile(values, 0.5))}  p99 ${ms(percentile(values, 0.99))}  (${values.length} calls)`);
  }
  console.log(`  runs claimed more than once: ${claims.rows[0].doubles}`);
  console.log(`${percentile(latencies, 0.99) <= TARGET_P99_MS ? 'PASS' : 'MISS'} run reaches a long-polling runner p99 ${ms(percentile(latencies, 0.99))} after POST /runs returns (target ≤ ${TARGET_P99_MS} ms)`);
  console.log(`${rate >= TARGET_RATE ? 'PASS' : 'MISS'} end-to-end dispatch ${rate.toFixed(0)} runs/s with ${RUNNERS} runners (target ≥ ${TARGET_RATE}/s)`);
} finally {
  await pool.close();
  await server.kill('SIGTERM');
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.end();
}

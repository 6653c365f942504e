/**
 * Runs and runners on real Postgres: a server in its own process (its jobs running), 8 runners
 * long-polling it over HTTP.
 * - Dispatch latency: with the runners idle in their polls, one run at a time is created; the time
 *   from `POST /runs` returning to a runner holding the run (target p99 ≤ 50 ms).
 * - Dispatch rate: closed-loop creators keep runs coming while the 8 runners take each through
 *   claim → started → completed; completed runs per second (target ≥ 500/s). Each runner polls
 *   again as soon as it holds a run and executes its runs side by side, as the SDK runner does.
 *
 * Run: `pnpm --filter @caracal/server run build && node bench/runs.ts`. `RUNS_LATENCY_SAMPLES`
 * (default 300), `RUNS_RATE_SECONDS` (20), `RUNS_CREATORS` (64); `DATABASE_URL` (default
 * postgres://root@127.0.0.1:5432/test, in a schema of its own, dropped after). Targets print as
 * PASS/MISS lines; timings never change the exit code (these machines are noisy).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import pg from 'pg';
import { Pool } from 'undici';
import { applicationToken, createZone } from './support/admin.ts';
import { postgresCpuMs } from './support/postgres-cpu.ts';
import { startServerProcess } from './support/server-process.ts';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
const LATENCY_SAMPLES = Number(process.env.RUNS_LATENCY_SAMPLES ?? 300);
const RATE_SECONDS = Number(process.env.RUNS_RATE_SECONDS ?? 20);
const CREATORS = Number(process.env.RUNS_CREATORS ?? 64);
const WARMUP_SECONDS = Number(process.env.RUNS_WARMUP_SECONDS ?? 10);
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
  // `RUNS_DATABASE_POOL_SIZE=8`: the server's DATABASE_POOL_SIZE (its default, 20, otherwise).
  ...(process.env.RUNS_DATABASE_POOL_SIZE === undefined ? {} : { DATABASE_POOL_SIZE: process.env.RUNS_DATABASE_POOL_SIZE }),
  // `BENCH_SERVER_NODE_OPTIONS='--cpu-prof --cpu-prof-dir=/tmp/prof'` profiles the server.
  ...(process.env.BENCH_SERVER_NODE_OPTIONS === undefined ? {} : { NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS }),
});
/** CPU time the server process has used (ms): a figure the machine's load does not inflate as much as wall time. */
const serverCpuMs = (): number => {
  const fields = readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
};
let stopping = false;
const pool = new Pool(server.url, { connections: 128, pipelining: 1 });
try {
  // An application has at most 50 live sessions in a zone (a run's session lives until it completes),
  // so the creators are spread over applications; the runners, registered with an operator
  // mandate, serve every application of the zone.
  const appCount = Math.ceil(CREATORS / 40);
  const applications = await createZone(
    pool,
    ADMIN_TOKEN,
    'zone_runs_bench',
    Object.fromEntries(Array.from({ length: appCount }, (_, index) => [`app_runs_${index}`, ['tools:call']])),
  );
  const tokens = await Promise.all(Object.values(applications).map((application) => applicationToken(pool, application)));
  const operator = await pool.request({ method: 'POST', path: '/admin/zones/zone_runs_bench/operator-token', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  const operatorToken = ((await operator.body.json()) as { access_token: string }).access_token;
  /** Answer times per route, to see where a run's time goes (the poll's includes its wait). */
  const timings = new Map<string, number[]>();
  const call = async (method: 'GET' | 'POST', path: string, body?: unknown, token = operatorToken): Promise<{ status: number; body: BenchAnswer }> => {
    const began = performance.now();
    const response = await pool.request({
      method,
      path,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.body.text();
    // A poll that found no run waited for one: only the polls answered with a run say how long a claim takes.
    const emptyPoll = path.startsWith('/runner/runs?') && response.statusCode !== 200;
    const kind = path.startsWith('/runner/runs/') ? path.split('/').at(-1)! : emptyPoll ? 'empty poll' : path.split('?')[0]!;
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
  const inFlight = new Set<Promise<void>>();
  /** What a runner does with a run it holds: reports it started, then completed (the agent does nothing). */
  const execute = async (runnerId: string, runId: string): Promise<void> => {
    const started = await call('POST', `/runner/runs/${runId}/started`, { runner_id: runnerId });
    if (started.status !== 200) throw new Error(`started: ${started.status} ${JSON.stringify(started.body)}`);
    const done = await call('POST', `/runner/runs/${runId}/completed`, { runner_id: runnerId, status: 'completed', session_status: 'finished' });
    if (done.status !== 200) throw new Error(`completed: ${done.status} ${JSON.stringify(done.body)}`);
    completed += 1;
    markCompleted(runId);
  };
  // As the SDK runner (and the seed project's) does: the poll loop hands each run to an execution of
  // its own and polls again at once, so one runner works several runs at a time.
  const runnerLoop = async (runnerId: string): Promise<void> => {
    while (!stopping) {
      const polled = await call('GET', `/runner/runs?runner_id=${runnerId}&wait_seconds=1`);
      const run = polled.body.run as { run_id: string } | undefined;
      if (polled.status !== 200 || run === undefined) continue;
      receivedAt.set(run.run_id, performance.now());
      const execution = execute(runnerId, run.run_id);
      inFlight.add(execution);
      void execution.finally(() => inFlight.delete(execution));
    }
    await Promise.all(inFlight);
  };
  const runnerIds: string[] = [];
  for (let index = 0; index < RUNNERS; index += 1) {
    const registered = await call('POST', '/runner/register', { hostname: `bench-${index}`, project_dir: '/p', executor_profile: 'default', executor: { type: 'bench' } });
    runnerIds.push(registered.body.runner_id as string);
  }
  const loops = runnerIds.map(runnerLoop);
  const create = async (token: string): Promise<string> => {
    const answer = await call('POST', '/runs', { type: 'start_session', parameters: { prompt: 'bench' } }, token);
    if (answer.status !== 201) throw new Error(`create: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body.run_id as string;
  };
  const createAndWait = async (token = tokens[0]!): Promise<{ runId: string; returnedAt: number }> => {
    const runId = await create(token);
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

  // A deployment's tables hold history and have statistics: autovacuum analyzes them as they grow,
  // and the plans cached on the server's connections are re-made then. This schema is seconds old,
  // so the rate phase first runs closed-loop for a while (history), then the tables are analyzed;
  // otherwise it would measure plans made for near-empty tables (a scan of every session and run
  // row on each termination) rather than the steady state.
  const closedLoop = async (seconds: number): Promise<void> => {
    const until = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: CREATORS }, async (_, index) => {
        while (performance.now() < until) await createAndWait(tokens[index % tokens.length]!);
      }),
    );
  };
  await closedLoop(WARMUP_SECONDS);
  const analyzer = new pg.Client({ connectionString: DATABASE_URL, options: `-c search_path=${schema}` });
  await analyzer.connect();
  await analyzer.query('ANALYZE');
  await analyzer.end();

  // The rate phase: closed-loop creators, each waiting for its run to complete before the next.
  timings.clear();
  const startedAt = performance.now();
  const completedBefore = completed;
  const cpuBefore = serverCpuMs();
  const postgresBefore = postgresCpuMs();
  const benchBefore = process.cpuUsage();
  await closedLoop(RATE_SECONDS);
  const elapsed = (performance.now() - startedAt) / 1000;
  const rate = (completed - completedBefore) / elapsed;
  const runsDone = Math.max(1, completed - completedBefore);
  const cpuPerRun = (serverCpuMs() - cpuBefore) / runsDone;
  const postgresPerRun = ((postgresCpuMs() ?? Number.NaN) - (postgresBefore ?? Number.NaN)) / runsDone;
  const benchUsage = process.cpuUsage(benchBefore);
  const benchPerRun = (benchUsage.user + benchUsage.system) / 1000 / runsDone;
  stopping = true;
  await Promise.all(loops);

  const check = new pg.Client({ connectionString: DATABASE_URL, options: `-c search_path=${schema}` });
  await check.connect();
  const claims = await check.query(`SELECT count(*)::int AS doubles FROM (SELECT run_id FROM session_events WHERE event_type = 'run_claimed' GROUP BY run_id HAVING count(*) > 1) AS d`);
  await check.end();

  const ms = (value: number) => `${value.toFixed(1)} ms`;
  console.log(`runs on Postgres, ${RUNNERS} long-polling runners, 1 server process, pool ${process.env.RUNS_DATABASE_POOL_SIZE ?? 'default (20)'} (load average ${loadavg()[0]!.toFixed(1)})`);
  console.log(`  dispatch latency, ${LATENCY_SAMPLES} runs: p50 ${ms(percentile(latencies, 0.5))}  p90 ${ms(percentile(latencies, 0.9))}  p99 ${ms(percentile(latencies, 0.99))}  max ${ms(Math.max(...latencies))}`);
  console.log(`  dispatch rate, ${CREATORS} closed-loop creators for ${elapsed.toFixed(1)} s: ${rate.toFixed(0)} runs/s completed (${completed - completedBefore} runs)`);
  console.log(`    CPU per run (user + system, the rate phase): server ${ms(cpuPerRun)}, Postgres ${ms(postgresPerRun)}, this bench's runners and creators ${ms(benchPerRun)}`);
  for (const [route, values] of timings) {
    if (route !== 'GET empty poll') console.log(`    ${route.padEnd(22)} p50 ${ms(percentile(values, 0.5))}  p99 ${ms(percentile(values, 0.99))}  (${values.length} calls)`);
  }
  console.log(`  runs claimed more than once: ${claims.rows[0].doubles}`);
  console.log(`${percentile(latencies, 0.99) <= TARGET_P99_MS ? 'PASS' : 'MISS'} run reaches a long-polling runner p99 ${ms(percentile(latencies, 0.99))} after POST /runs returns (target ≤ ${TARGET_P99_MS} ms)`);
  console.log(`${rate >= TARGET_RATE ? 'PASS' : 'MISS'} end-to-end dispatch ${rate.toFixed(0)} runs/s with ${RUNNERS} runners (target ≥ ${TARGET_RATE}/s)`);
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  stopping = true;
  await pool.close();
  await server.kill('SIGTERM');
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.end();
}

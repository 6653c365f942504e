/**
 * Soak: mixed load for a long stretch (default 30 minutes) at about 70 % of measured capacity,
 * against two server processes (jobs running) on one real Postgres and one Redis. A third of the
 * units are spawn → terminate (2 requests); a third spawn two sessions → delegate → token exchange
 * through the edge → revoke → terminate both (7 requests); a third spawn → post a batch of
 * timeline events → read the timeline → `run_completed` → terminate (5 requests). Each unit's
 * requests go to either replica.
 *
 * Capacity is measured first (16 closed-loop units), then units are started on a fixed schedule
 * at `SOAK_LOAD` of it (open loop, at most 16 in flight so at most 32 sessions are live, below
 * the limit of 50: every error is one without cause). Per window it prints throughput, request
 * p50/p99, each server's RSS and heap (from its /metrics), Postgres connections of the servers,
 * the outbox backlog (pending rows, at the window's end and its maximum), and errors by code.
 * Targets: last window's p99 ≤ 1.3× the first's; RSS growth < 10 % from the end of the first
 * window (warm-up) to the end; 0 errors; backlog bounded (max ≤ 1 s of events, drained after).
 *
 * Run: `pnpm run build && node bench/soak.ts`. Not in `run-all` or CI. `SOAK_SECONDS` (1800),
 * `SOAK_WINDOW_SECONDS` (300), `SOAK_CAPACITY_SECONDS` (30), `SOAK_LOAD` (0.7); `DATABASE_URL`
 * (default postgres://root@127.0.0.1:5432/test, own schema, dropped after). Redis is a throwaway
 * `redis-server` on a free port.
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import pg from 'pg';
import { Pool } from 'undici';
import { applicationToken, createZone } from './support/admin.ts';
import { BenchClient, closedLoop, Recorder } from './support/load.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';
import { startThrowawayRedis } from './support/throwaway-redis.ts';
import { churnCycle, delegationCycle, timelineCycle, type Tenant } from './support/workload.ts';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 1800);
const WINDOW_SECONDS = Number(process.env.SOAK_WINDOW_SECONDS ?? 300);
const CAPACITY_SECONDS = Number(process.env.SOAK_CAPACITY_SECONDS ?? 30);
const LOAD = Number(process.env.SOAK_LOAD ?? 0.7);
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
const IN_FLIGHT = 16;
const ZONE = 'zone_soak';
const APPLICATION = 'app_soak';
const RESOURCE = 'mcp://tools.soak';
const ADMIN_TOKEN = `soak-admin-${randomBytes(8).toString('hex')}`;
const APPLICATION_NAME = `caracal_soak_${process.pid}`;

interface Window {
  index: number;
  seconds: number;
  requests: number;
  units: number;
  unitsNotStarted: number;
  p50: number;
  p99: number;
  rss: number[];
  heap: number[];
  connections: number;
  backlog: number;
  backlogMax: number;
  errors: Map<string, number>;
}

/**
 * Some Postgres installs (this machine's among them) run with `autovacuum = off`; a half-hour of
 * churn then leaves the planner on empty-table statistics and the tables full of dead rows, which
 * no production server would see. There the soak vacuums and analyzes its own tables every minute,
 * as autovacuum would, and says so.
 */
async function vacuumLikeAutovacuum(databaseUrl: string, schema: string): Promise<{ stop(): Promise<void> }> {
  const client = new pg.Client({ connectionString: databaseUrl, options: `-c search_path=${schema}` });
  await client.connect();
  const setting = (await client.query<{ autovacuum: string }>('SHOW autovacuum')).rows[0]!.autovacuum;
  if (setting === 'on') {
    await client.end();
    return { stop: async () => {} };
  }
  console.log('autovacuum is off on this Postgres: the soak runs VACUUM (ANALYZE) of its own tables every 60 s instead');
  let pass: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    pass = pass.then(() => client.query('VACUUM (ANALYZE) caracal_outbox, agent_sessions, delegation_edges, session_events, agent_session_seats'));
  }, 60_000);
  return {
    async stop() {
      clearInterval(timer);
      await pass;
      await client.end();
    },
  };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function main(): Promise<void> {
  const schema = `bench_soak_${randomBytes(4).toString('hex')}`;
  const redis = await startThrowawayRedis();
  const database = new pg.Client({ connectionString: DATABASE_URL, options: `-c search_path=${schema}` });
  await database.connect();
  const separator = DATABASE_URL.includes('?') ? '&' : '?';
  // Shared by both replicas: each verifies the events the other relays, and mints with the same keys.
  const eventSecret = randomBytes(24).toString('hex');
  const keySecret = randomBytes(24).toString('hex');
  const env = (replica: number) => ({
    DATABASE_URL: `${DATABASE_URL}${separator}application_name=${APPLICATION_NAME}_${replica}`,
    DATABASE_SCHEMA: schema,
    REDIS_URL: redis.url,
    CARACAL_ADMIN_TOKEN: ADMIN_TOKEN,
    CARACAL_EVENT_SECRET: eventSecret,
    CARACAL_KEY_SECRET: keySecret,
    CARACAL_PUBLIC_URL: 'https://caracal.soak.bench',
  });
  // The first replica migrates the schema; the second starts on the ready one.
  const servers: ServerProcess[] = [await startServerProcess(env(0))];
  servers.push(await startServerProcess(env(1)));
  let recorder = new Recorder();
  const clients = servers.map((server) => new BenchClient(server.url, () => recorder));
  const pick = () => clients[Math.floor(Math.random() * clients.length)]!;
  try {
    const admin = new Pool(servers[0]!.url);
    const applications = await createZone(admin, ADMIN_TOKEN, ZONE, { [APPLICATION]: ['tools:call'] });
    const resource = await admin.request({
      method: 'POST',
      path: `/admin/zones/${ZONE}/resources`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ identifier: RESOURCE, scopes: ['tools:call'] }),
    });
    if (resource.statusCode >= 300) throw new Error(`create resource: ${resource.statusCode} ${await resource.body.text()}`);
    await resource.body.dump();
    const token = await applicationToken(admin, applications[APPLICATION]!);
    await admin.close();
    const tenant: Tenant = { zoneId: ZONE, token, resource: RESOURCE };
    let unitCounter = 0;
    const cycles = [() => churnCycle(pick(), tenant), () => delegationCycle(pick, tenant), () => timelineCycle(pick(), tenant)];
    const unit = () => cycles[unitCounter++ % cycles.length]!();

    console.log(`Soak — 2 server processes on Postgres + Redis, load average ${loadavg()[0]!.toFixed(1)} before start`);
    const capacityUntil = performance.now() + CAPACITY_SECONDS * 1000;
    let capacityUnits = 0;
    await closedLoop(IN_FLIGHT, () => performance.now() >= capacityUntil, async () => {
      await unit();
      capacityUnits += 1;
    });
    const capacity = capacityUnits / CAPACITY_SECONDS;
    const rate = capacity * LOAD;
    console.log(
      `capacity: ${capacity.toFixed(1)} units/s (${recorder.throughput(CAPACITY_SECONDS).toFixed(0)} requests/s, ${IN_FLIGHT} closed loops, ${CAPACITY_SECONDS} s; errors: ${recorder.describeErrors()})`,
    );
    console.log(`soak: ${rate.toFixed(1)} units/s (${(LOAD * 100).toFixed(0)} %) for ${SECONDS} s in windows of ${WINDOW_SECONDS} s`);
    const capacityErrors = recorder.errorCount();

    const backlog = async () =>
      Number((await database.query<{ count: string }>(`SELECT count(*) AS count FROM caracal_outbox WHERE status = 'pending'`)).rows[0]!.count);
    const connections = async () =>
      Number(
        (await database.query<{ count: string }>('SELECT count(*) AS count FROM pg_stat_activity WHERE application_name LIKE $1', [`${APPLICATION_NAME}_%`]))
          .rows[0]!.count,
      );

    const windows: Window[] = [];
    const started = performance.now();
    const end = started + SECONDS * 1000;
    let inFlight = 0;
    let unitsNotStarted = 0;
    let units = 0;
    let backlogMax = 0;
    const running = new Set<Promise<void>>();
    const sampler = setInterval(() => {
      void backlog().then((value) => {
        backlogMax = Math.max(backlogMax, value);
      });
    }, 2000);
    const vacuum = await vacuumLikeAutovacuum(DATABASE_URL, schema);
    recorder = new Recorder();
    let windowStart = started;
    let nextWindow = started + WINDOW_SECONDS * 1000;
    let due = started;
    const header = 'window  req/s  units  not-started  p50 ms  p99 ms  RSS r0/r1        heap r0/r1       pg conns  backlog end/max  errors';
    console.log(header);
    /** Closes the current window: its figures, one printed row. */
    const closeWindow = async (now: number) => {
      const windowRecorder = recorder;
      recorder = new Recorder();
      const seconds = (now - windowStart) / 1000;
      const metrics = await Promise.all(clients.map((client) => client.metrics()));
      const window: Window = {
        index: windows.length + 1,
        seconds,
        requests: windowRecorder.requests,
        units,
        unitsNotStarted,
        p50: windowRecorder.percentile(0.5),
        p99: windowRecorder.percentile(0.99),
        rss: metrics.map((values) => values.get('process_resident_memory_bytes') ?? Number.NaN),
        heap: metrics.map((values) => values.get('nodejs_heap_size_used_bytes') ?? Number.NaN),
        connections: await connections(),
        backlog: await backlog(),
        backlogMax,
        errors: windowRecorder.errors,
    };
    windows.push(window);
    console.log(
      `${String(window.index).padStart(6)}  ${(window.requests / seconds).toFixed(0).padStart(5)}  ${String(units).padStart(5)}  ${String(unitsNotStarted).padStart(11)}` +
        `  ${window.p50.toFixed(1).padStart(6)}  ${window.p99.toFixed(1).padStart(6)}  ${window.rss.map(mb).join(' / ').padEnd(15)}  ${window.heap.map(mb).join(' / ').padEnd(15)}` +
        `  ${String(window.connections).padStart(8)}  ${`${window.backlog}/${window.backlogMax}`.padStart(15)}  ${windowRecorder.describeErrors()}`,
    );
    units = 0;
    unitsNotStarted = 0;
    backlogMax = 0;
    windowStart = now;
    nextWindow = now + WINDOW_SECONDS * 1000;
    };
    while (performance.now() < end) {
      const now = performance.now();
      if (now >= nextWindow) {
        await closeWindow(now);
        continue;
      }
      if (now >= due) {
        due += 1000 / rate;
        if (inFlight >= IN_FLIGHT) {
          unitsNotStarted += 1;
          continue;
        }
        inFlight += 1;
        units += 1;
        const work: Promise<void> = unit().finally(() => {
          inFlight -= 1;
          running.delete(work);
        });
        running.add(work);
        continue;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(due, nextWindow) - performance.now())));
    }
    await Promise.all(running);
    // The last window ends with the load (when the duration is not a whole number of windows, a
    // shorter one, if it is at least half a window).
    if (performance.now() - windowStart >= (WINDOW_SECONDS * 1000) / 2) await closeWindow(performance.now());
    clearInterval(sampler);
    await vacuum.stop();
    const drainStarted = performance.now();
    while ((await backlog()) > 0 && performance.now() - drainStarted < 30_000) await new Promise((resolve) => setTimeout(resolve, 100));
    const finalBacklog = await backlog();
    const drainSeconds = (performance.now() - drainStarted) / 1000;
    const dead = Number((await database.query<{ count: string }>(`SELECT count(*) AS count FROM caracal_outbox WHERE status = 'dead'`)).rows[0]!.count);

    const verdict = (ok: boolean, text: string) => console.log(`${ok ? 'PASS' : 'MISS'}  ${text}`);
    const first = windows[0];
    const last = windows.at(-1);
    if (first === undefined || last === undefined) {
      console.log('no full window: raise SOAK_SECONDS or lower SOAK_WINDOW_SECONDS');
      return;
    }
    verdict(last.p99 <= 1.3 * first.p99, `last window p99 ${last.p99.toFixed(1)} ms ≤ 1.3 × first ${first.p99.toFixed(1)} ms (${(last.p99 / first.p99).toFixed(2)}×)`);
    for (let replica = 0; replica < servers.length; replica += 1) {
      const growth = last.rss[replica]! / first.rss[replica]! - 1;
      verdict(growth < 0.1, `replica ${replica} RSS ${mb(first.rss[replica]!)} after warm-up → ${mb(last.rss[replica]!)} at the end (${(growth * 100).toFixed(1)} % < 10 %)`);
    }
    const errors = windows.reduce((sum, window) => sum + [...window.errors.values()].reduce((a, b) => a + b, 0), 0);
    verdict(errors === 0 && capacityErrors === 0, `errors without cause: ${errors} during the soak, ${capacityErrors} while measuring capacity (target 0)`);
    const events = Number((await database.query<{ count: string }>('SELECT count(*) AS count FROM caracal_outbox')).rows[0]!.count);
    const eventsPerSecond = events / ((drainStarted - started) / 1000 + CAPACITY_SECONDS);
    const maxBacklog = Math.max(...windows.map((window) => window.backlogMax));
    verdict(
      maxBacklog <= Math.max(eventsPerSecond, 50) && finalBacklog === 0 && dead === 0,
      `outbox backlog bounded: max ${maxBacklog} pending (≤ 1 s of events, ~${eventsPerSecond.toFixed(0)}), ${finalBacklog} left ${drainSeconds.toFixed(1)} s after the load, ${dead} dead`,
    );
  } finally {
    await Promise.all(clients.map((client) => client.close()));
    await Promise.all(servers.map((server) => server.kill('SIGTERM')));
    await database.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await database.end();
    await redis.stop();
    console.log(`load average ${loadavg()[0]!.toFixed(1)} at the end`);
  }
}

await main();

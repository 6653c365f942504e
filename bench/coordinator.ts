/**
 * Coordinator benchmark on real Postgres: spawn+terminate cycles per second (empty tables, then
 * with 100,000 finished sessions and their 300,000 events in the tables), delegation-edge creation
 * with its exact cycle check at 1,000 and at 100,000 edges in the zone (1 and 16 clients), and
 * terminating a 200-session subtree.
 *
 * Run: `pnpm -r --filter './packages/*' run build && node bench/coordinator.ts`. Uses
 * `DATABASE_URL` (default postgres://root@127.0.0.1:5432/test) in its own schema, dropped after.
 * The server (the built `@caracal/server`, STS included) runs in a worker thread so it does not
 * share an event loop with the 16 closed-loop clients (undici keep-alive pool); mandates come from
 * the real `client_credentials` flow. Targets print as PASS/MISS; timings never change the exit code.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { startServer } from '@caracal/server';
import pg from 'pg';
import { Pool } from 'undici';

const BASE_DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
const APPLICATION_NAME = `caracal_bench_${process.pid}`;
/** The server's connections carry this application_name, so the bench can find its own backends. */
const DATABASE_URL = `${BASE_DATABASE_URL}${BASE_DATABASE_URL.includes('?') ? '&' : '?'}application_name=${APPLICATION_NAME}`;
const ZONE = 'zone_bench';
const APPLICATION = 'app_bench';
const SECRET = 'bench-secret-0123456789';
const CLIENTS = 16;
const SECONDS = Number(process.env.CARACAL_BENCH_SECONDS ?? 8);
const HISTORY = 100_000;
const TARGET_CYCLES = 1000;
const TARGET_HISTORY_RATIO = 0.9;
const TARGET_EDGE_P50_ONE = 2;
const TARGET_EDGE_P50_MANY = 20;

interface ServerData {
  schema: string;
}

/** The worker: the server under test, on its own thread. */
async function runServer(data: ServerData): Promise<void> {
  const server = await startServer({
    port: 0,
    logger: false,
    // A server on Postgres needs its own secrets (docs/configuration.md); random ones do for a bench.
    keyEncryptionSecret: randomBytes(32).toString('base64url'),
    eventSigningSecret: randomBytes(32).toString('base64url'),
    jobs: false,
    databaseUrl: DATABASE_URL,
    databaseSchema: data.schema,
    // Room for the 200-session subtree; the seats still do their work on every spawn.
    limits: { maxActivePerZoneApplication: 1000, maxActivePerApplication: 2000 },
    bootstrap: { zones: [{ id: ZONE, applications: [{ id: APPLICATION, secret: SECRET, scopes: ['tools:call'] }] }] },
  });
  parentPort!.postMessage({ url: server.url });
  parentPort!.on('message', async () => {
    await server.close();
    parentPort!.postMessage({ closed: true });
  });
}

interface Stats {
  count: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** CPU milliseconds per iteration: this process (server thread + clients), the server's Postgres backends. */
  nodeCpu: number;
  postgresCpu: number;
}

/** CPU milliseconds the given Linux processes have used (0 where /proc is unavailable). */
function processCpu(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      // the backend exited
    }
  }
  return total;
}

let backendPids: () => Promise<number[]> = async () => [];

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!;
}

/** `clients` loops each running `iteration` back to back for `seconds`; latencies per iteration in ms. */
async function closedLoop(clients: number, seconds: number, iteration: (client: number) => Promise<void>): Promise<Stats> {
  const latencies: number[] = [];
  const pids = await backendPids();
  const cpuBefore = process.cpuUsage();
  const postgresBefore = processCpu(pids);
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (performance.now() < until) {
        const begin = performance.now();
        await iteration(client);
        latencies.push(performance.now() - begin);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const postgresCpu = processCpu(pids) - postgresBefore;
  latencies.sort((left, right) => left - right);
  return {
    count: latencies.length,
    perSecond: latencies.length / elapsed,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    nodeCpu: (cpu.user + cpu.system) / 1000 / latencies.length,
    postgresCpu: postgresCpu / latencies.length,
  };
}

const format = (stats: Stats, unit: string) =>
  `${stats.perSecond.toFixed(0).padStart(6)} ${unit}/s   p50 ${stats.p50.toFixed(2).padStart(7)} ms   p99 ${stats.p99.toFixed(2).padStart(7)} ms   (${stats.count})`;
const verdict = (ok: boolean, text: string) => console.log(`${ok ? 'PASS' : 'MISS'}  ${text}`);

/** SQL for the i-th bulk-inserted session id (hex is within the id alphabet). */
const sessionId = (expression: string, space: string) => `'agentsess_${space}' || lpad(to_hex(${expression}), 25, '0')`;

/**
 * A database where many schemas were created and dropped (a test suite's run) carries dead rows in
 * its system catalogs until they are vacuumed, and every statement here then costs Postgres about
 * a third more. Said up front, so such a run is not read as a regression.
 */
async function warnOfCatalogBloat(database: pg.Client): Promise<void> {
  const { rows } = await database.query<{ live: string; dead: string }>(
    `SELECT n_live_tup AS live, n_dead_tup AS dead FROM pg_stat_sys_tables WHERE relname = 'pg_attribute'`,
  );
  const live = Number(rows[0]?.live ?? 0);
  const dead = Number(rows[0]?.dead ?? 0);
  if (dead > 10 * Math.max(live, 1)) {
    console.log(`  note: pg_attribute holds ${dead} dead rows for ${live} live ones (schemas created and dropped); figures run slow until`);
    console.log('        a superuser runs VACUUM pg_attribute, pg_depend, pg_class, pg_index, pg_type');
  }
}

async function insertHistory(database: pg.Client): Promise<void> {
  await database.query(
    `INSERT INTO agent_sessions (id, zone_id, application_id, root_id, status, depth, kind, zone_seat, application_seat,
       spawned_at, terminated_at, termination_reason)
     SELECT ${sessionId('g', '0')}, '${ZONE}', '${APPLICATION}', ${sessionId('g', '0')}, 'terminated', 0, 'ephemeral', 0, 0,
       now() - interval '2 days', now() - interval '1 day', 'terminated'
     FROM generate_series(1, ${HISTORY}) AS g`,
  );
  await database.query(
    `INSERT INTO caracal_outbox (topic, event_type, zone_id, payload, status, created_at, published_at)
     SELECT kind.topic, kind.type, '${ZONE}', jsonb_build_object('agent_session_id', ${sessionId('g', '0')}), 'published',
       now() - interval '1 day', now() - interval '1 day'
     FROM generate_series(1, ${HISTORY}) AS g,
       (VALUES ('caracal.agents.lifecycle', 'session_spawned'), ('caracal.agents.lifecycle', 'session_terminated'),
               ('caracal.sessions.revoke', 'session_revoked')) AS kind (topic, type)`,
  );
  await database.query('VACUUM ANALYZE agent_sessions');
  await database.query('VACUUM ANALYZE caracal_outbox');
}

/**
 * Background delegation graph: blocks of 5 active sessions chained by 4 edges, blocks
 * [from, to). Measured edges go from a block's head into another block's middle, so every
 * cycle check walks a bounded path whatever the zone's size, as in tree-shaped real graphs.
 */
async function insertGraph(database: pg.Client, from: number, to: number): Promise<void> {
  await database.query(
    `INSERT INTO agent_sessions (id, zone_id, application_id, root_id, status, depth, kind, zone_seat, application_seat, spawned_at)
     SELECT ${sessionId('b * 5 + k', '1')}, '${ZONE}', '${APPLICATION}', ${sessionId('b * 5 + k', '1')}, 'active', 0, 'instance', 0, 0, now()
     FROM generate_series(${from}, ${to - 1}) AS b, generate_series(0, 4) AS k`,
  );
  await database.query(
    `INSERT INTO delegation_edges (id, zone_id, source_session_id, target_session_id, issuer_application_id,
       receiver_application_id, scopes, status, expires_at, created_at)
     SELECT 'deledge_1' || lpad(to_hex(b * 4 + k), 25, '0'), '${ZONE}', ${sessionId('b * 5 + k', '1')}, ${sessionId('b * 5 + k + 1', '1')},
       '${APPLICATION}', '${APPLICATION}', '{tools:call}', 'active', now() + interval '30 days', now()
     FROM generate_series(${from}, ${to - 1}) AS b, generate_series(0, 3) AS k`,
  );
  await database.query('ANALYZE agent_sessions');
  await database.query('ANALYZE delegation_edges');
}

const graphSession = (index: number) => `agentsess_1${index.toString(16).padStart(25, '0')}`;

async function main(): Promise<void> {
  const schema = `bench_coordinator_${randomBytes(4).toString('hex')}`;
  const worker = new Worker(new URL(import.meta.url), { workerData: { schema } satisfies ServerData });
  const { url } = await new Promise<{ url: string }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  const http = new Pool(url, { connections: CLIENTS * 2 });
  const database = new pg.Client({ connectionString: BASE_DATABASE_URL, options: `-c search_path=${schema}` });
  await database.connect();
  backendPids = async () =>
    (await database.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [APPLICATION_NAME])).rows.map(
      (row) => row.pid,
    );
  try {
    const tokenResponse = await http.request({
      method: 'POST',
      path: '/oauth/2/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: APPLICATION, client_secret: SECRET }).toString(),
    });
    const token = ((await tokenResponse.body.json()) as { access_token: string }).access_token;
    const authorization = `Bearer ${token}`;
    // DELETE goes without a body: undici closes the keep-alive socket after a DELETE that has one.
    const call = async (method: 'POST' | 'DELETE', path: string, body = '{}'): Promise<Record<string, unknown>> => {
      const response = await http.request(
        method === 'DELETE'
          ? { method, path, headers: { authorization } }
          : { method, path, headers: { authorization, 'content-type': 'application/json' }, body },
      );
      const text = await response.body.text();
      if (response.statusCode >= 300) throw new Error(`${method} ${path} → ${response.statusCode} ${text}`);
      return JSON.parse(text) as Record<string, unknown>;
    };
    const cycle = async () => {
      const spawned = await call('POST', `/zones/${ZONE}/agents`);
      await call('DELETE', `/zones/${ZONE}/agents/${spawned.agent_session_id as string}`);
    };
    console.log(`Coordinator bench — ${CLIENTS} clients, ${SECONDS} s per figure, load average ${loadavg()[0]!.toFixed(1)} before start`);
    await warnOfCatalogBloat(database);

    await closedLoop(CLIENTS, 4, cycle);
    await database.query('ANALYZE');
    const empty = await closedLoop(CLIENTS, SECONDS, cycle);
    console.log(`spawn+terminate, empty tables       ${format(empty, 'cycles')}`);
    await insertHistory(database);
    await closedLoop(CLIENTS, 2, cycle);
    const history = await closedLoop(CLIENTS, SECONDS, cycle);
    console.log(`spawn+terminate, ${HISTORY} finished    ${format(history, 'cycles')}`);
    for (const [label, stats] of [['empty', empty], ['history', history]] as const) {
      const perCycle = stats.nodeCpu + stats.postgresCpu;
      console.log(
        `  CPU per cycle (${label}): node ${stats.nodeCpu.toFixed(2)} ms (server thread + 16 clients), its Postgres backends ${stats.postgresCpu.toFixed(2)} ms → ${(2000 / perCycle).toFixed(0)} cycles/s if both cores were this bench's alone`,
      );
    }
    console.log('  reference (before): 86 cycles/s at 16 clients (p50 177 ms); 17/s with 50k rows of history');
    verdict(empty.perSecond >= TARGET_CYCLES, `cycles/s on empty tables ${empty.perSecond.toFixed(0)} ≥ ${TARGET_CYCLES}`);
    verdict(history.perSecond >= TARGET_CYCLES, `cycles/s with history ${history.perSecond.toFixed(0)} ≥ ${TARGET_CYCLES}`);
    const ratio = history.perSecond / empty.perSecond;
    verdict(ratio >= TARGET_HISTORY_RATIO, `history/empty ${(ratio * 100).toFixed(0)} % ≥ ${TARGET_HISTORY_RATIO * 100} %`);

    let blocks = 250;
    await insertGraph(database, 0, blocks);
    const create = async () => {
      const head = Math.floor(Math.random() * blocks);
      const middle = (head + 1 + Math.floor(Math.random() * (blocks - 1))) % blocks;
      const body = { source_session_id: graphSession(head * 5), target_session_id: graphSession(middle * 5 + 2), scopes: ['tools:call'], ttl_seconds: 3600 };
      await call('POST', `/zones/${ZONE}/delegations`, JSON.stringify(body));
    };
    const edgeFigures: Record<string, { one: Stats; many: Stats }> = {};
    for (const [label, target] of [['1k', 250], ['100k', 25_000]] as const) {
      if (target > blocks) {
        await insertGraph(database, blocks, target);
        blocks = target;
      }
      await closedLoop(1, 1, create);
      const one = await closedLoop(1, SECONDS / 2, create);
      await closedLoop(CLIENTS, 1, create);
      const many = await closedLoop(CLIENTS, SECONDS / 2, create);
      edgeFigures[label] = { one, many };
      console.log(`delegation create, ${label.padEnd(4)} edges, 1 client   ${format(one, 'edges')}`);
      console.log(`delegation create, ${label.padEnd(4)} edges, ${CLIENTS} clients ${format(many, 'edges')}`);
    }
    console.log('  reference (before): p50 11.7 ms at 1 client, 110 ms at 16 clients');
    const small = edgeFigures['1k']!;
    const large = edgeFigures['100k']!;
    verdict(large.one.p50 <= 2 * small.one.p50, `p50 at 100k ≤ 2× p50 at 1k, 1 client (${large.one.p50.toFixed(2)} vs ${small.one.p50.toFixed(2)} ms)`);
    verdict(large.many.p50 <= 2 * small.many.p50, `p50 at 100k ≤ 2× p50 at 1k, ${CLIENTS} clients (${large.many.p50.toFixed(2)} vs ${small.many.p50.toFixed(2)} ms)`);
    verdict(large.one.p50 <= TARGET_EDGE_P50_ONE, `p50 at 100k, 1 client ${large.one.p50.toFixed(2)} ms ≤ ${TARGET_EDGE_P50_ONE} ms`);
    verdict(large.many.p50 <= TARGET_EDGE_P50_MANY, `p50 at 100k, ${CLIENTS} clients ${large.many.p50.toFixed(2)} ms ≤ ${TARGET_EDGE_P50_MANY} ms`);

    const subtreeTimes: number[] = [];
    for (let round = 0; round < 3; round += 1) {
      const root = (await call('POST', `/zones/${ZONE}/agents`)).agent_session_id as string;
      const queue = [root];
      let size = 1;
      while (size < 200) {
        const parent = queue.shift()!;
        const children = Math.min(10, 200 - size);
        const spawned = await Promise.all(
          Array.from({ length: children }, () => call('POST', `/zones/${ZONE}/agents`, JSON.stringify({ parent_id: parent }))),
        );
        queue.push(...spawned.map((child) => child.agent_session_id as string));
        size += children;
      }
      const begin = performance.now();
      const result = await call('DELETE', `/zones/${ZONE}/agents/${root}`);
      subtreeTimes.push(performance.now() - begin);
      if (result.terminated_sessions !== 200 || result.revoked_edges !== 199) throw new Error(`unexpected cascade ${JSON.stringify(result)}`);
    }
    subtreeTimes.sort((left, right) => left - right);
    console.log(`terminate a 200-session subtree (199 edges): median ${subtreeTimes[1]!.toFixed(1)} ms of ${subtreeTimes.map((time) => time.toFixed(1)).join(', ')}`);
  } finally {
    await http.close();
    worker.postMessage('close');
    await new Promise((resolve) => worker.once('message', resolve));
    await worker.terminate();
    console.log(`load average ${loadavg()[0]!.toFixed(1)} at the end`);
    await database.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await database.end();
  }
}

if (isMainThread) await main();
else await runServer(workerData as ServerData);

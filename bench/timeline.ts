/**
 * Timeline benchmark on real Postgres, against the Agent Coordinator routes of a server in its own process
 * (so the load generator does not share its event loop):
 * 1. ingestion: 16 closed-loop clients posting single events (`POST /sessions/{id}/events`);
 * 2. the batch form: arrays of BENCH_TIMELINE_BATCH events (default 500) from 4 clients;
 * 3. reading a session's first page of 100 events (`GET /sessions/{id}/events?limit=100`) with
 *    10,000 events in the table, then 1,000,000 (bulk-inserted by SQL over 5,000 sessions, then
 *    VACUUM ANALYZE), and the read query's plan at 1M.
 *
 * Run: `pnpm run build && node bench/timeline.ts`. Env: BENCH_TIMELINE_SECONDS (per ingestion
 * phase, default 10), BENCH_TIMELINE_BATCH (500), BENCH_TIMELINE_READS (reads per table size,
 * default 1000; 0 skips the read phases), BENCH_TIMELINE_ROWS (`10000,1000000`); DATABASE_URL (default
 * postgres://root@127.0.0.1:5432/test, in a schema of its own, dropped after). Postgres
 * unreachable: SKIP. PASS/MISS lines; timings never change the exit code.
 */
import { randomBytes } from 'node:crypto';
import { createConnection } from 'node:net';
import { loadavg } from 'node:os';
import pg from 'pg';
import { Pool } from 'undici';
import { applicationToken, createZone } from './support/admin.ts';
import { BenchClient, closedLoop, Recorder } from './support/load.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';

const SECONDS = Number(process.env.BENCH_TIMELINE_SECONDS ?? 10);
const BATCH = Number(process.env.BENCH_TIMELINE_BATCH ?? 500);
const READS = Number(process.env.BENCH_TIMELINE_READS ?? 1000);
const [SMALL_ROWS, LARGE_ROWS] = (process.env.BENCH_TIMELINE_ROWS ?? '10000,1000000').split(',').map(Number) as [number, number];
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
const SINGLE_CLIENTS = 16;
const BATCH_CLIENTS = 4;
const WARMUP_SECONDS = 2;
const ZONE = 'zone_timeline_bench';
const APPLICATION = 'app_timeline_bench';
const ADMIN_TOKEN = `timeline-admin-${randomBytes(8).toString('hex')}`;
/** Sessions the bulk rows are spread over; the read session gets 200 of them, spread over the id range. */
const BULK_SESSIONS = 5000;
const READ_SESSION_EVENTS = 200;
const TARGET = { singlePerSecond: 3000, singleP99: 30, batchPerSecond: 30_000, readP50: 3, readRatio: 1.5 };

const verdict = (ok: boolean, text: string) => console.log(`${ok ? 'PASS' : 'MISS'}  ${text}`);
const load = () => loadavg()[0]!.toFixed(1);

async function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || 5432) });
    socket.once('connect', () => (socket.end(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

const event = (index: number) => ({ event_type: 'post_tool', run_id: 'run-1', tool_name: 'search', tool_input: { query: `caracal ${index}` }, tool_output: { hits: 3 } });

/** Events/s and latency of `clients` closed loops of `iteration` (each posting `perRequest` events). */
async function ingest(
  setRecorder: (recorder: Recorder) => void,
  clients: number,
  perRequest: number,
  iteration: (client: number) => Promise<void>,
): Promise<{ perSecond: number; recorder: Recorder }> {
  setRecorder(new Recorder());
  const warmUntil = performance.now() + WARMUP_SECONDS * 1000;
  await closedLoop(clients, () => performance.now() >= warmUntil, iteration);
  const recorder = new Recorder();
  setRecorder(recorder);
  const until = performance.now() + SECONDS * 1000;
  await closedLoop(clients, () => performance.now() >= until, iteration);
  const elapsed = (performance.now() - recorder.startedAt) / 1000;
  return { perSecond: ((recorder.requests - recorder.errorCount()) * perRequest) / elapsed, recorder };
}

/** Bulk events: row g goes to the read session every (rows / 200)th row, else to one of 5,000 others. */
function bulkInsert(readSession: string, from: number, to: number, rows: number): string {
  const every = Math.max(1, Math.floor(rows / READ_SESSION_EVENTS));
  return `INSERT INTO session_events (zone_id, session_id, application_id, run_id, event_type, source, recorded_at, body)
    SELECT '${ZONE}',
      CASE WHEN g % ${every} = 0 THEN '${readSession}' ELSE 'agentsess_9' || lpad(to_hex(g % ${BULK_SESSIONS}), 25, '0') END,
      '${APPLICATION}', 'run-1', 'post_tool', 'agent', now() - interval '1 hour',
      jsonb_build_object('tool_name', 'search', 'tool_input', jsonb_build_object('query', 'caracal ' || g))
    FROM generate_series(${from}, ${to - 1}) AS g`;
}

async function readP50(client: BenchClient, setRecorder: (recorder: Recorder) => void, token: string, session: string): Promise<Recorder> {
  const request = { method: 'GET' as const, path: `/sessions/${session}/events?limit=100`, token };
  setRecorder(new Recorder());
  for (let index = 0; index < 100; index += 1) await client.call('read', request);
  const recorder = new Recorder();
  setRecorder(recorder);
  for (let index = 0; index < READS; index += 1) await client.call('read', request);
  return recorder;
}

async function main(): Promise<void> {
  console.log(`Timeline — ${SECONDS} s per ingestion phase, batches of ${BATCH}, ${READS} reads per table size; load average ${load()}`);
  if (!(await reachable(DATABASE_URL))) {
    console.log(`SKIP  postgres unreachable at ${DATABASE_URL}`);
    return;
  }
  const schema = `bench_timeline_${randomBytes(4).toString('hex')}`;
  const sql = new pg.Client({ connectionString: DATABASE_URL, options: `-c search_path=${schema}` });
  await sql.connect();
  let server: ServerProcess | undefined;
  let recorder = new Recorder();
  const setRecorder = (next: Recorder) => (recorder = next);
  let client: BenchClient | undefined;
  try {
    server = await startServerProcess({
      CARACAL_ADMIN_TOKEN: ADMIN_TOKEN,
      CARACAL_EVENT_SECRET: randomBytes(24).toString('hex'),
      CARACAL_KEY_SECRET: randomBytes(24).toString('hex'),
      CARACAL_PUBLIC_URL: 'https://caracal.timeline.bench',
      DATABASE_URL,
      DATABASE_SCHEMA: schema,
    });
    client = new BenchClient(server.url, () => recorder, 32);
    const admin = new Pool(server.url);
    const applications = await createZone(admin, ADMIN_TOKEN, ZONE, { [APPLICATION]: ['tools:call'] });
    const token = await applicationToken(admin, applications[APPLICATION]!);
    await admin.close();
    const sessions: string[] = [];
    for (let index = 0; index < SINGLE_CLIENTS + 1; index += 1) {
      const answer = await client.call('create', { method: 'POST', path: '/sessions', token, json: { agent_name: `bench-${index}` } });
      if (answer.status !== 201) throw new Error(`POST /sessions: ${answer.status} ${JSON.stringify(answer.body)}`);
      sessions.push((answer.body.session as { session_id: string }).session_id);
    }
    const readSession = sessions.pop()!;
    let sequence = 0;

    const single = await ingest(setRecorder, SINGLE_CLIENTS, 1, async (index) => {
      await client!.call('post', { method: 'POST', path: `/sessions/${sessions[index]}/events`, token, json: event(sequence++) });
    });
    const singleP50 = single.recorder.percentile(0.5);
    const singleP99 = single.recorder.percentile(0.99);
    console.log(
      `single events, ${SINGLE_CLIENTS} clients   ${single.perSecond.toFixed(0).padStart(7)} events/s  p50 ${singleP50.toFixed(1)} ms  p99 ${singleP99.toFixed(1)} ms` +
        `  errors: ${single.recorder.describeErrors()}  (load ${load()})`,
    );

    const batch = await ingest(setRecorder, BATCH_CLIENTS, BATCH, async (index) => {
      const events = Array.from({ length: BATCH }, () => event(sequence++));
      await client!.call('post batch', { method: 'POST', path: `/sessions/${sessions[index]}/events`, token, json: events });
    });
    console.log(
      `batches of ${BATCH}, ${BATCH_CLIENTS} clients     ${batch.perSecond.toFixed(0).padStart(7)} events/s  request p50 ${batch.recorder.percentile(0.5).toFixed(1)} ms` +
        `  p99 ${batch.recorder.percentile(0.99).toFixed(1)} ms  errors: ${batch.recorder.describeErrors()}  (load ${load()})`,
    );

    if (READS === 0) {
      console.log(`ratios: batch/single throughput ${(batch.perSecond / single.perSecond).toFixed(1)}×`);
      verdict(single.perSecond >= TARGET.singlePerSecond, `single events ${single.perSecond.toFixed(0)}/s ≥ ${TARGET.singlePerSecond}/s`);
      verdict(singleP99 <= TARGET.singleP99, `single events p99 ${singleP99.toFixed(1)} ms ≤ ${TARGET.singleP99} ms`);
      verdict(batch.perSecond >= TARGET.batchPerSecond, `batch events ${batch.perSecond.toFixed(0)}/s ≥ ${TARGET.batchPerSecond}/s`);
      console.log(`load average ${load()} at the end (reads skipped: BENCH_TIMELINE_READS=0)`);
      return;
    }
    // Reads: the table holds only the bulk rows.
    await sql.query('TRUNCATE session_events');
    await sql.query(bulkInsert(readSession, 1, SMALL_ROWS + 1, SMALL_ROWS));
    await sql.query('VACUUM ANALYZE session_events');
    const small = await readP50(client, setRecorder, token, readSession);
    console.log(`first page of 100, ${SMALL_ROWS} rows   p50 ${small.percentile(0.5).toFixed(2)} ms  p99 ${small.percentile(0.99).toFixed(2)} ms  errors: ${small.describeErrors()}  (load ${load()})`);

    await sql.query('TRUNCATE session_events');
    const chunk = 200_000;
    for (let from = 1; from <= LARGE_ROWS; from += chunk) await sql.query(bulkInsert(readSession, from, Math.min(LARGE_ROWS + 1, from + chunk), LARGE_ROWS));
    await sql.query('VACUUM ANALYZE session_events');
    const large = await readP50(client, setRecorder, token, readSession);
    console.log(`first page of 100, ${LARGE_ROWS} rows p50 ${large.percentile(0.5).toFixed(2)} ms  p99 ${large.percentile(0.99).toFixed(2)} ms  errors: ${large.describeErrors()}  (load ${load()})`);

    const plan = await sql.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN SELECT id, zone_id, session_id, application_id, run_id, event_type, source, recorded_at, reported_at, body, details
       FROM session_events WHERE session_id = $1 ORDER BY id LIMIT 101`,
      [readSession],
    );
    const planText = plan.rows.map((row) => row['QUERY PLAN']).join('\n');
    console.log(`read plan at ${LARGE_ROWS} rows:\n  ${planText.split('\n').join('\n  ')}`);

    const ratio = large.percentile(0.5) / small.percentile(0.5);
    console.log(`ratios: ${LARGE_ROWS}/${SMALL_ROWS} read p50 ${ratio.toFixed(2)}×; batch/single throughput ${(batch.perSecond / single.perSecond).toFixed(1)}×`);
    verdict(single.perSecond >= TARGET.singlePerSecond, `single events ${single.perSecond.toFixed(0)}/s ≥ ${TARGET.singlePerSecond}/s`);
    verdict(singleP99 <= TARGET.singleP99, `single events p99 ${singleP99.toFixed(1)} ms ≤ ${TARGET.singleP99} ms`);
    verdict(batch.perSecond >= TARGET.batchPerSecond, `batch events ${batch.perSecond.toFixed(0)}/s ≥ ${TARGET.batchPerSecond}/s`);
    verdict(large.percentile(0.5) <= TARGET.readP50, `read p50 at ${LARGE_ROWS} rows ${large.percentile(0.5).toFixed(2)} ms ≤ ${TARGET.readP50} ms`);
    verdict(ratio <= TARGET.readRatio, `read p50 ${LARGE_ROWS}/${SMALL_ROWS} ${ratio.toFixed(2)}× ≤ ${TARGET.readRatio}×`);
    verdict(planText.includes('session_events_session'), 'read plan uses the (session_id, id) index session_events_session');
    console.log(`load average ${load()} at the end`);
  } finally {
    await client?.close();
    await server?.kill('SIGTERM');
    await sql.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await sql.end();
  }
}

await main();

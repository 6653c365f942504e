/**
 * Seed-feed benchmark: commit → `/ws` client latency for the Agent Coordinator session feed, with many
 * dashboards connected. A real `startServer()` on Postgres; each event is one agent post, written
 * as `POST /sessions/{id}/events` writes it (the agent event log's group commit: concurrent posts
 * share one statement) at a sustained rate; the wake after the commit rouses the outbox publisher, the bus carries the entry, the feed relay fans it out to every `/ws`
 * client (`GET /ws` without zone_id, the application's own session feed).
 * The clients (Node's own WebSocket) run in a worker thread (their own event loop), so parsing 100,000 messages/s does
 * not delay the server's; times are absolute (`timeOrigin + now()`) on both sides.
 *
 * Run: `pnpm --filter @caracal/server run build && node bench/seed-feed.ts`.
 * Latency counts from the moment the post is handed to the log (before its statement runs), so it
 * includes the write itself: a floor of commit → client.
 * Env: BENCH_SEED_FEED_CLIENTS (default 200), BENCH_SEED_FEED_WRITERS (posts in flight, default 64), BENCH_SEED_FEED_RATE (events/s, default 500),
 * BENCH_SEED_FEED_SECONDS (default 10), BENCH_SEED_FEED_PUBLISHER_CONCURRENCY (outbox batches in flight), BENCH_SEED_FEED_SETUPS (e.g. `1,2`: postgres + in-process
 * bus, postgres + Redis Streams), CARACAL_BENCH_DATABASE_URL / CARACAL_BENCH_REDIS_URL (default:
 * the CARACAL_TEST_* ones, then postgres://root@127.0.0.1:5432/test and redis://127.0.0.1:6379).
 * Targets are PASS/MISS lines; timings never change the exit code.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { figure as format, pacedWrites, percentile, reachable } from './support/paced-writes.ts';

const CLIENTS = Number(process.env.BENCH_SEED_FEED_CLIENTS ?? 200);
const RATE = Number(process.env.BENCH_SEED_FEED_RATE ?? 500);
const SECONDS = Number(process.env.BENCH_SEED_FEED_SECONDS ?? 10);
const WARMUP_EVENTS = 200;
const TARGET_P99_MS = 100;
/**
 * Posts in flight at once, as concurrent agents' requests would be. A waiting post holds no
 * connection (the group commit's statements take at most 4), so this may exceed the pool.
 */
const MAX_IN_FLIGHT_TRANSACTIONS = Number(process.env.BENCH_SEED_FEED_WRITERS ?? 64);
const ZONE = 'zone_seed_bench';
const APPLICATION = 'app_seed_bench';
const SECRET = 'bench-secret-0123456789';
const databaseUrl = process.env.CARACAL_BENCH_DATABASE_URL ?? process.env.CARACAL_TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
const redisUrl = process.env.CARACAL_BENCH_REDIS_URL ?? process.env.CARACAL_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const now = (): number => performance.timeOrigin + performance.now();

/** Sequence numbers ride in the event's `reason`; a warm-up event's is negative. */
const REASON_MARK = '"reason":"seq:';

interface ClientsData {
  url: string;
  clients: number;
  total: number;
}

type ClientsMessage =
  | { kind: 'connected' }
  | { kind: 'warm' }
  | { kind: 'done'; received: Float64Array; counts: Int32Array; closed: number };

/** The worker: `clients` WebSockets; records when each client got each measured event. */
function runClients(data: ClientsData): void {
  const received = new Float64Array(data.clients * data.total);
  const counts = new Int32Array(data.clients);
  const warm = new Int32Array(data.clients);
  let connected = 0;
  let closed = 0;
  let warmed = 0;
  const sockets: WebSocket[] = [];
  for (let client = 0; client < data.clients; client += 1) {
    const socket = new WebSocket(data.url);
    sockets.push(socket);
    socket.addEventListener('open', () => {
      connected += 1;
      if (connected === data.clients) parentPort!.postMessage({ kind: 'connected' } satisfies ClientsMessage);
    });
    socket.addEventListener('close', () => (closed += 1));
    socket.addEventListener('message', (event) => {
      const at = now();
      const text = String(event.data);
      const mark = text.indexOf(REASON_MARK);
      if (mark < 0) return;
      const sequence = Number.parseInt(text.slice(mark + REASON_MARK.length), 10);
      if (sequence < 0) {
        warm[client]! += 1;
        if (warm[client] === WARMUP_EVENTS && ++warmed === data.clients) parentPort!.postMessage({ kind: 'warm' } satisfies ClientsMessage);
        return;
      }
      received[client * data.total + sequence] = at;
      counts[client]! += 1;
    });
  }
  parentPort!.on('message', () => {
    for (const socket of sockets) socket.close();
    parentPort!.postMessage({ kind: 'done', received, counts, closed } satisfies ClientsMessage);
  });
}

interface Setup {
  name: string;
  redis: boolean;
}

interface Result {
  name: string;
  sent: number;
  achievedRate: number;
  fullClients: number;
  deliveries: number;
  p50: number;
  p99: number;
  max: number;
  /** The same events at a subscriber on the server's bus (no feed): the pipeline's own share. */
  busP99: number;
}

const ALL_SETUPS: Setup[] = [
  { name: 'postgres + in-process bus', redis: false },
  { name: 'postgres + Redis Streams', redis: true },
];
const SETUPS = process.env.BENCH_SEED_FEED_SETUPS === undefined
  ? ALL_SETUPS
  : process.env.BENCH_SEED_FEED_SETUPS.split(',').map((index) => ALL_SETUPS[Number(index) - 1]!).filter(Boolean);

async function runSetup(setup: Setup): Promise<Result | string> {
  if (!(await reachable(databaseUrl, 5432))) return `postgres unreachable at ${databaseUrl}`;
  if (setup.redis && !(await reachable(redisUrl, 6379))) return `redis unreachable at ${redisUrl}`;
  const { startServer } = await import('@caracal/server');
  const { agentEventLogOf, serverContextOf } = await import('@caracal/server/testing');
  const suffix = randomBytes(5).toString('hex');
  const schema = `bench_seed_feed_${suffix}`;
  const server = await startServer({
    port: 0,
    logger: false,
    keyEncryptionSecret: randomBytes(32).toString('base64url'),
    eventSigningSecret: randomBytes(32).toString('base64url'),
    databaseUrl,
    databaseSchema: schema,
    ...(setup.redis ? { redisUrl, redisKeyPrefix: `bench_seed_feed_${suffix}:` } : {}),
    ...(process.env.BENCH_SEED_FEED_PUBLISHER_CONCURRENCY === undefined
      ? {}
      : { jobSettings: { outboxConcurrency: Number(process.env.BENCH_SEED_FEED_PUBLISHER_CONCURRENCY) } }),
    bootstrap: { zones: [{ id: ZONE, applications: [{ id: APPLICATION, secret: SECRET, scopes: ['tools:call'] }] }] },
  });
  const context = serverContextOf(server);
  let worker: Worker | undefined;
  try {
    const tokenResponse = await fetch(`${server.url}/oauth/2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: APPLICATION, client_secret: SECRET }),
    });
    const token = ((await tokenResponse.json()) as { access_token: string }).access_token;
    const spawned = await fetch(`${server.url}/zones/${ZONE}/agents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    const sessionId = ((await spawned.json()) as { agent_session_id: string }).agent_session_id;

    const total = Math.round(RATE * SECONDS);
    const clients = new Worker(new URL(import.meta.url), {
      workerData: { url: `${server.url.replace('http', 'ws')}/ws?access_token=${token}`, clients: CLIENTS, total } satisfies ClientsData,
    });
    worker = clients;
    const messages: ClientsMessage[] = [];
    const waiters: Array<() => void> = [];
    clients.on('message', (message: ClientsMessage) => {
      messages.push(message);
      for (const wake of waiters.splice(0)) wake();
    });
    const next = async (kind: ClientsMessage['kind'], timeoutMs: number): Promise<ClientsMessage> => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.find((message) => message.kind === kind);
        if (found !== undefined) return found;
        if (Date.now() > deadline) throw new Error(`clients: no ${kind} within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
    };
    await next('connected', 60_000);

    const log = agentEventLogOf(context.database);
    const write = async (sequence: number, onSubmit?: () => void): Promise<void> => {
      const appended = log.append({
        sessionId,
        zoneId: ZONE,
        applicationId: APPLICATION,
        events: [{ runId: null, eventType: 'message', reportedAt: null, body: { reason: `seq:${sequence}`, role: 'assistant' } }],
        at: Date.now(),
      });
      onSubmit?.();
      await appended;
    };
    // Warm-up: JIT, pools, the relay's subscriptions; every client must have all of it.
    for (let index = 0; index < WARMUP_EVENTS; index += 1) await write(-1 - index);
    await next('warm', 60_000);

    const committedAt = new Float64Array(total);
    const onBusAt = new Float64Array(total);
    const unsubscribe = await context.bus.subscribe('caracal.sessions.timeline', (entry) => {
      const payload = entry.fields.payload ?? '';
      const mark = payload.indexOf(REASON_MARK);
      if (mark < 0) return;
      const sequence = Number.parseInt(payload.slice(mark + REASON_MARK.length), 10);
      if (sequence >= 0) onBusAt[sequence] = now();
    });
    // Taken as the post is handed over: the figure includes the write's own statement and commit.
    const achievedRate = await pacedWrites({ total, rate: RATE, maxInFlight: MAX_IN_FLIGHT_TRANSACTIONS }, (sequence) =>
      write(sequence, () => (committedAt[sequence] = now())),
    );
    // Let the last events reach every client (bounded), then collect.
    const drainUntil = Date.now() + 5000;
    while (Date.now() < drainUntil) await new Promise((resolve) => setTimeout(resolve, 50));
    await unsubscribe();
    clients.postMessage('stop');
    const done = (await next('done', 60_000)) as Extract<ClientsMessage, { kind: 'done' }>;

    const latencies: number[] = [];
    let fullClients = 0;
    for (let client = 0; client < CLIENTS; client += 1) {
      if (done.counts[client] === total) fullClients += 1;
      for (let sequence = 0; sequence < total; sequence += 1) {
        const at = done.received[client * total + sequence]!;
        if (at > 0) latencies.push(at - committedAt[sequence]!);
      }
    }
    const sorted = Float64Array.from(latencies).sort();
    const busLatencies = Float64Array.from(
      Array.from(onBusAt, (at, sequence) => at - committedAt[sequence]!).filter((_latency, sequence) => onBusAt[sequence]! > 0),
    );
    return {
      name: setup.name,
      sent: total,
      achievedRate,
      fullClients,
      deliveries: latencies.length,
      p50: percentile(sorted, 0.5),
      p99: percentile(sorted, 0.99),
      max: sorted.at(-1) ?? Number.NaN,
      busP99: percentile(busLatencies.sort(), 0.99),
    };
  } finally {
    await worker?.terminate();
    await context.database.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => {});
    await server.close();
  }
}

async function main(): Promise<void> {
  console.log(`seed feed: commit → /ws client, ${CLIENTS} clients, ${RATE} events/s for ${SECONDS} s, one event per post; load average ${loadavg()[0]!.toFixed(1)}`);
  console.log('setup                          sent   rate/s  clients all  deliveries   p50 ms   p99 ms   max ms  bus p99 ms');
  const results: Array<Result | { name: string; skipped: string }> = [];
  for (const setup of SETUPS) {
    const outcome = await runSetup(setup).catch((error: unknown) => `failed: ${error instanceof Error ? error.message : String(error)}`);
    if (typeof outcome === 'string') {
      results.push({ name: setup.name, skipped: outcome });
      console.log(`${setup.name.padEnd(29)}  SKIP (${outcome})`);
      continue;
    }
    results.push(outcome);
    console.log(
      `${outcome.name.padEnd(29)} ${String(outcome.sent).padStart(5)} ${format(outcome.achievedRate, 0).padStart(8)} ${`${outcome.fullClients}/${CLIENTS}`.padStart(12)} ${String(outcome.deliveries).padStart(11)} ${format(outcome.p50, 2).padStart(8)} ${format(outcome.p99, 2).padStart(8)} ${format(outcome.max, 1).padStart(8)} ${format(outcome.busP99, 2).padStart(11)}`,
    );
  }
  console.log('');
  for (const result of results) {
    if ('skipped' in result) {
      console.log(`SKIP  ${result.name}: ${result.skipped}`);
      continue;
    }
    const everyone = result.fullClients === CLIENTS && result.deliveries === CLIENTS * result.sent;
    console.log(
      `${everyone && result.p99 <= TARGET_P99_MS ? 'PASS' : 'MISS'}  ${result.name}: p99 ${format(result.p99, 2)} ms (target ≤ ${TARGET_P99_MS} ms), ${result.fullClients}/${CLIENTS} clients got all ${result.sent} events`,
    );
    console.log(`${result.achievedRate >= RATE * 0.95 ? 'PASS' : 'MISS'}  ${result.name}: load offered ${format(result.achievedRate, 0)}/${RATE} events/s`);
    console.log(`ratios: ${result.name}: p99/target ${format(result.p99 / TARGET_P99_MS, 2)}, rate reached/offered ${format(result.achievedRate / RATE, 2)}, bus p99 share of client p99 ${format(result.busP99 / result.p99, 2)}`);
  }
  console.log(`load average ${loadavg()[0]!.toFixed(1)} at the end`);
}

if (isMainThread) await main();
else runClients(workerData as ClientsData);

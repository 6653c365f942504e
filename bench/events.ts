/**
 * Events benchmark: commit → subscriber latency through the whole pipeline (state-change
 * transaction writes the outbox row → NOTIFY wakes the outbox publisher → bus → subscriber), at
 * a sustained rate, for three setups side by side:
 *   - embedded: PGlite + in-process bus (the default `startServer()`),
 *   - postgres + in-process bus,
 *   - postgres + Redis Streams.
 * Also whether the publisher keeps up: the pending outbox backlog is sampled throughout.
 *
 * Run: `pnpm --filter @caracal/server run build && node bench/events.ts`.
 * Env: BENCH_EVENTS_RATE (events/s, default 500), BENCH_EVENTS_SECONDS (default 10),
 * BENCH_EVENTS_SETUPS (e.g. `1,3`), CARACAL_BENCH_DATABASE_URL / CARACAL_BENCH_REDIS_URL (default: the CARACAL_TEST_* ones, then
 * postgres://root@127.0.0.1:5432/test and redis://127.0.0.1:6379). A setup whose backend is
 * unreachable prints SKIP. Targets are PASS/MISS lines; timings never change the exit code.
 */
import { randomBytes } from 'node:crypto';
import { createConnection } from 'node:net';
import { performance } from 'node:perf_hooks';
import { startServer, Topics } from '@caracal/server';
import { enqueueEvents, serverContextOf, type ServerContext } from '@caracal/server/testing';
import { figure as format, pacedWrites, percentile, reachable } from './support/paced-writes.ts';

const RATE = Number(process.env.BENCH_EVENTS_RATE ?? 500);
const SECONDS = Number(process.env.BENCH_EVENTS_SECONDS ?? 10);
const TARGET_P99_MS = 50;
/** "Keeps up": the backlog never exceeds this many seconds of load and is drained at the end. */
const BACKLOG_BOUND_SECONDS = 1;
/** Writers at once; well under the pool size, as request handlers would be, so the publisher is never starved of a connection. */
const MAX_IN_FLIGHT_TRANSACTIONS = 8;
const databaseUrl = process.env.CARACAL_BENCH_DATABASE_URL ?? process.env.CARACAL_TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
const redisUrl = process.env.CARACAL_BENCH_REDIS_URL ?? process.env.CARACAL_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Setup {
  name: string;
  postgres: boolean;
  redis: boolean;
}

interface Result {
  name: string;
  sent: number;
  received: number;
  achievedRate: number;
  p50: number;
  p99: number;
  max: number;
  maxBacklog: number;
  finalBacklog: number;
}

const ALL_SETUPS: Setup[] = [
  { name: 'embedded (PGlite + in-process bus)', postgres: false, redis: false },
  { name: 'postgres + in-process bus', postgres: true, redis: false },
  { name: 'postgres + Redis Streams', postgres: true, redis: true },
];
/** BENCH_EVENTS_SETUPS=1,3 runs a subset (1-based, in the order above). */
const SETUPS = process.env.BENCH_EVENTS_SETUPS === undefined
  ? ALL_SETUPS
  : process.env.BENCH_EVENTS_SETUPS.split(',').map((index) => ALL_SETUPS[Number(index) - 1]!).filter(Boolean);

/** Deletes the bench's stream keys on the shared Redis with a raw RESP command. */
async function deleteStreams(url: string, keys: readonly string[]): Promise<void> {
  const { hostname, port } = new URL(url);
  await new Promise<void>((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || 6379) });
    const args = ['DEL', ...keys];
    socket.on('connect', () => socket.end(`*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('')}`));
    // Read the reply: a paused socket never sees the server's close (and keeps nothing alive).
    socket.resume();
    socket.on('close', () => resolve());
    socket.on('error', () => resolve());
  });
}

async function pendingBacklog(context: ServerContext): Promise<number> {
  const result = await context.database.query<{ count: string | number }>(
    "SELECT count(*) AS count FROM caracal_outbox WHERE status = 'pending'",
  );
  return Number(result.rows[0]?.count ?? 0);
}

async function runSetup(setup: Setup): Promise<Result | string> {
  if (setup.postgres && !(await reachable(databaseUrl, 5432))) return `postgres unreachable at ${databaseUrl}`;
  if (setup.redis && !(await reachable(redisUrl, 6379))) return `redis unreachable at ${redisUrl}`;
  const suffix = randomBytes(5).toString('hex');
  const schema = setup.postgres ? `bench_events_${suffix}` : undefined;
  const keyPrefix = `bench_events_${suffix}:`;
  const server = await startServer({
    port: 0,
    logger: false,
    // A server on Postgres needs its own secrets (docs/configuration.md); random ones do for a bench.
    keyEncryptionSecret: randomBytes(32).toString('base64url'),
    eventSigningSecret: randomBytes(32).toString('base64url'),
    ...(setup.postgres ? { databaseUrl, databaseSchema: schema } : {}),
    ...(setup.redis ? { redisUrl, redisKeyPrefix: keyPrefix } : {}),
    ...(process.env.BENCH_EVENTS_PUBLISHER_CONCURRENCY === undefined
      ? {}
      : { jobSettings: { outboxConcurrency: Number(process.env.BENCH_EVENTS_PUBLISHER_CONCURRENCY) } }),
  });
  const context = serverContextOf(server);
  const topic = Topics.agentsLifecycle;
  const startedAt = new Map<number, number>();
  const latencies: number[] = [];
  const unsubscribe = await context.bus.subscribe(topic, (entry) => {
    const sequence = (JSON.parse(entry.fields.payload ?? '{}') as { sequence?: number }).sequence;
    if (sequence === undefined || sequence < 0) return;
    const began = startedAt.get(sequence);
    if (began !== undefined) latencies.push(performance.now() - began);
  });

  // Warm-up: JIT, connection pools and the publisher's first round are not part of the figures.
  for (let index = 0; index < 200; index += 1) {
    await context.database.transaction((transaction) =>
      enqueueEvents(transaction, [{ topic, type: 'bench_warmup', zoneId: 'zone_bench', payload: { sequence: -1 } }]),
    );
  }

  const total = Math.round(RATE * SECONDS);
  const backlogSamples: number[] = [];
  const sampler = setInterval(() => {
    void pendingBacklog(context).then((count) => backlogSamples.push(count), () => {});
  }, 250);
  const achievedRate = await pacedWrites({ total, rate: RATE, maxInFlight: MAX_IN_FLIGHT_TRANSACTIONS }, (sequence) =>
    context.database.transaction(async (transaction) => {
      await enqueueEvents(transaction, [{ topic, type: 'session_spawned', zoneId: 'zone_bench', payload: { sequence } }]);
      // Taken as COMMIT is sent: the figure is commit → subscriber (COMMIT's round trip included).
      startedAt.set(sequence, performance.now());
    }),
  );
  const drainDeadline = performance.now() + 30_000;
  while (latencies.length < total && performance.now() < drainDeadline) await new Promise((resolve) => setTimeout(resolve, 20));
  clearInterval(sampler);
  // Delivery can precede the publisher's COMMIT by a moment: give the last batch time to be marked.
  let finalBacklog = await pendingBacklog(context);
  for (const settleDeadline = performance.now() + 5000; finalBacklog > 0 && performance.now() < settleDeadline; ) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    finalBacklog = await pendingBacklog(context);
  }

  await unsubscribe();
  // Dropped over the server's own pool (the jobs' last rounds then fail quietly; logs are off).
  if (schema !== undefined) await context.database.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await server.close();
  if (setup.redis) await deleteStreams(redisUrl, Object.values(Topics).map((name) => keyPrefix + name));

  const sorted = [...latencies].sort((left, right) => left - right);
  return {
    name: setup.name,
    sent: total,
    received: latencies.length,
    achievedRate,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted.at(-1) ?? Number.NaN,
    maxBacklog: Math.max(0, ...backlogSamples),
    finalBacklog,
  };
}

console.log(`events: commit → subscriber at ${RATE} events/s for ${SECONDS} s, one event per transaction`);
console.log('setup                                  sent  recv   rate/s   p50 ms   p99 ms   max ms  backlog max/end');
const results: Array<Result | { name: string; skipped: string }> = [];
for (const setup of SETUPS) {
  const outcome = await runSetup(setup).catch((error: unknown) => `failed: ${error instanceof Error ? error.message : String(error)}`);
  if (typeof outcome === 'string') {
    results.push({ name: setup.name, skipped: outcome });
    console.log(`${setup.name.padEnd(37)}  SKIP (${outcome})`);
    continue;
  }
  results.push(outcome);
  console.log(
    `${outcome.name.padEnd(37)} ${String(outcome.sent).padStart(5)} ${String(outcome.received).padStart(5)} ${format(outcome.achievedRate, 0).padStart(8)} ${format(outcome.p50, 2).padStart(8)} ${format(outcome.p99, 2).padStart(8)} ${format(outcome.max, 1).padStart(8)}  ${outcome.maxBacklog}/${outcome.finalBacklog}`,
  );
}

console.log('');
for (const result of results) {
  if ('skipped' in result) {
    console.log(`SKIP  ${result.name}: ${result.skipped}`);
    continue;
  }
  const latencyOk = result.received === result.sent && result.p99 <= TARGET_P99_MS;
  console.log(`${latencyOk ? 'PASS' : 'MISS'}  ${result.name}: p99 ${format(result.p99, 2)} ms (target ≤ ${TARGET_P99_MS} ms), ${result.received}/${result.sent} delivered`);
  const keepsUp = result.maxBacklog <= RATE * BACKLOG_BOUND_SECONDS && result.finalBacklog === 0;
  console.log(
    `${keepsUp ? 'PASS' : 'MISS'}  ${result.name}: publisher keeps up — pending backlog max ${result.maxBacklog} (bound ${RATE * BACKLOG_BOUND_SECONDS}), ${result.finalBacklog} left`,
  );
  // The writers themselves may fall short of the target on a busy machine; then the figures above
  // hold for the rate reached, not the target.
  console.log(
    `${result.achievedRate >= RATE * 0.95 ? 'PASS' : 'MISS'}  ${result.name}: load offered ${format(result.achievedRate, 0)}/${RATE} events/s`,
  );
}

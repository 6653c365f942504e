/**
 * Spawn/terminate churn with errors counted, not fatal: 16 closed-loop clients each spawn a root
 * session and terminate it, against a server in its own process with its jobs running, on empty
 * tables and with 100,000 terminated sessions (and their 300,000 events) of history, on both
 * backends (PGlite embedded; Postgres + Redis). At most 16 sessions are ever live, far below the
 * limit of 50, so every refusal is one without cause; the target is 0.
 *
 * Run: `pnpm run build && node bench/spawn-churn.ts`. Not part of `run-all` (it runs for
 * minutes). `CHURN_SECONDS` (default 300 per setup), `CHURN_WARMUP_SECONDS` (5),
 * `CHURN_BACKENDS=embedded,postgres`, `CHURN_HISTORY=0,100000`; `DATABASE_URL` (default
 * postgres://root@127.0.0.1:5432/test, in a schema of its own, dropped after). Redis is a
 * throwaway `redis-server` on a free port.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@caracal/server/testing';
import pg from 'pg';
import { Pool } from 'undici';
import { applicationToken, createZone } from './support/admin.ts';
import { historyStatements } from './support/history.ts';
import { BenchClient, closedLoop, Recorder } from './support/load.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';
import { startThrowawayRedis, type BenchRedis } from './support/throwaway-redis.ts';
import { churnCycle } from './support/workload.ts';

const SECONDS = Number(process.env.CHURN_SECONDS ?? 300);
const WARMUP_SECONDS = Number(process.env.CHURN_WARMUP_SECONDS ?? 5);
const BACKENDS = (process.env.CHURN_BACKENDS ?? 'embedded,postgres').split(',');
const HISTORIES = (process.env.CHURN_HISTORY ?? '0,100000').split(',').map(Number);
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
const CLIENTS = 16;
const ZONE = 'zone_bench';
const APPLICATION = 'app_bench';
const ADMIN_TOKEN = `churn-admin-${randomBytes(8).toString('hex')}`;
/** Explicit secrets: the server has no built-in ones. */
const SECRETS = {
  CARACAL_ADMIN_TOKEN: ADMIN_TOKEN,
  CARACAL_EVENT_SECRET: randomBytes(24).toString('hex'),
  CARACAL_KEY_SECRET: randomBytes(24).toString('hex'),
  CARACAL_PUBLIC_URL: 'https://caracal.churn.bench',
};

interface Setup {
  env: Record<string, string>;
  /** Runs the history statements against the server's database (the server may be restarted around it). */
  insertHistory(statements: string[]): Promise<void>;
  restartNeeded: boolean;
  cleanUp(): Promise<void>;
}

async function embeddedSetup(): Promise<Setup> {
  const dataDir = mkdtempSync(join(tmpdir(), 'caracal-churn-'));
  return {
    env: { CARACAL_DATA_DIR: dataDir },
    restartNeeded: true,
    async insertHistory(statements) {
      const database = await openDatabase({ dataDir });
      try {
        for (const statement of statements) await database.query(statement);
      } finally {
        await database.close();
      }
    },
    async cleanUp() {
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function postgresSetup(): Promise<Setup> {
  const schema = `bench_churn_${randomBytes(4).toString('hex')}`;
  const redis: BenchRedis = await startThrowawayRedis();
  const client = new pg.Client({ connectionString: DATABASE_URL, options: `-c search_path=${schema}` });
  await client.connect();
  return {
    env: { DATABASE_URL, DATABASE_SCHEMA: schema, REDIS_URL: redis.url },
    restartNeeded: false,
    async insertHistory(statements) {
      for (const statement of statements) await client.query(statement);
    },
    async cleanUp() {
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
      await redis.stop();
    },
  };
}

async function runOne(backend: string, history: number): Promise<{ label: string; refusals: number; errors: number }> {
  const setup = backend === 'embedded' ? await embeddedSetup() : await postgresSetup();
  const env = { ...SECRETS, ...setup.env };
  let server: ServerProcess = await startServerProcess(env);
  let recorder = new Recorder();
  let client = new BenchClient(server.url, () => recorder);
  const label = `${backend.padEnd(8)} ${history === 0 ? 'empty tables' : `${history} rows of history`}`;
  try {
    const admin = new Pool(server.url);
    const applications = await createZone(admin, ADMIN_TOKEN, ZONE, { [APPLICATION]: ['tools:call'] });
    await admin.close();
    if (history > 0) {
      if (setup.restartNeeded) await server.kill('SIGTERM');
      await setup.insertHistory(historyStatements(ZONE, APPLICATION, history));
      if (setup.restartNeeded) {
        await client.close();
        server = await startServerProcess(env);
        client = new BenchClient(server.url, () => recorder);
      }
    }
    const tokenPool = new Pool(server.url);
    const token = await applicationToken(tokenPool, applications[APPLICATION]!);
    await tokenPool.close();
    const tenant = { zoneId: ZONE, token, resource: '' };

    const warmUntil = performance.now() + WARMUP_SECONDS * 1000;
    await closedLoop(CLIENTS, () => performance.now() >= warmUntil, () => churnCycle(client, tenant));
    const warmUp = recorder;
    recorder = new Recorder();
    const until = performance.now() + SECONDS * 1000;
    await closedLoop(CLIENTS, () => performance.now() >= until, () => churnCycle(client, tenant));
    const elapsed = (performance.now() - recorder.startedAt) / 1000;
    const all = [...warmUp.errors, ...recorder.errors];
    const refusals = all.filter(([key]) => key.includes('limit_exceeded')).reduce((sum, [, count]) => sum + count, 0);
    const errors = warmUp.errorCount() + recorder.errorCount();
    console.log(
      `${label.padEnd(34)} ${elapsed.toFixed(0)} s  ${(recorder.requests / 2).toFixed(0).padStart(7)} cycles  ${(recorder.requests / 2 / elapsed).toFixed(0).padStart(5)} cycles/s` +
        `  request p50 ${recorder.percentile(0.5).toFixed(1)} ms p99 ${recorder.percentile(0.99).toFixed(1)} ms` +
        `  limit refusals ${refusals}  errors ${errors} (${recorder.describeErrors()}; warm-up: ${warmUp.describeErrors()})`,
    );
    return { label, refusals, errors };
  } finally {
    await client.close();
    await server.kill('SIGTERM');
    await setup.cleanUp();
  }
}

console.log(`Spawn/terminate churn — ${CLIENTS} clients, ${SECONDS} s per setup after ${WARMUP_SECONDS} s warm-up, load average ${loadavg()[0]!.toFixed(1)}`);
const results = [];
for (const backend of BACKENDS) {
  for (const history of HISTORIES) results.push(await runOne(backend, history));
}
for (const result of results) {
  const ok = result.refusals === 0 && result.errors === 0;
  console.log(`${ok ? 'PASS' : 'MISS'}  ${result.label}: ${result.refusals} limit refusals, ${result.errors} errors (target 0: at most ${CLIENTS} sessions live, limit 50)`);
}
console.log(`load average ${loadavg()[0]!.toFixed(1)} at the end`);

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import type { EventBus } from '../../src/events/event-bus.ts';
import { openRedisEventBus } from '../../src/events/redis-event-bus.ts';
import { FEED_TOPICS } from '../../src/events/topics.ts';
import { dropSchema, testBackends } from '../helpers/backends.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { createAdminZone, sessionToken } from './support/admin-setup.ts';
import { countServerWarnings, describeMissingRevocations, describeStall } from './support/chaos-diagnostics.ts';
import { ChaosWorker, emptyLedger, type ChaosLedger } from './support/chaos-load.ts';
import { findCycles } from './support/find-cycles.ts';
import { RevocationFeed } from './support/revocation-feed.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';
import { throwawayRedis, type ThrowawayRedis } from './support/throwaway-redis.ts';

// A missing Postgres or Redis fails the run under CARACAL_TEST_REQUIRE_BACKENDS=1 (testBackends throws) or on CI.
const postgres = testBackends().find((backend) => backend.name === 'postgres+redis');
if (postgres === undefined && process.env.CI === 'true') {
  throw new Error('CI=true but CARACAL_TEST_DATABASE_URL or CARACAL_TEST_REDIS_URL is not set: the chaos run needs a real Postgres and Redis');
}
const databaseUrl = postgres?.databaseUrl;
const ADMIN_TOKEN = 'chaos-admin-token';
const ZONE = 'zone_chaos';
const RESOURCE = 'mcp://tools.chaos';
const WORKERS = 6;
const ZONE_LIMIT = 50;
const APPLICATION_LIMIT = 200;
/** Successful requests the load must make between faults, so each fault meets traffic. */
const PROGRESS = 15;

/**
 * Two server processes on one Postgres and one Redis under mixed load while faults run one after
 * another: Redis restarted, every Postgres backend of the servers terminated (the LISTEN
 * connection included), one replica SIGKILLed and started again, one paused (SIGSTOP) until the
 * other took over a job lease it held, then resumed. Then the invariants are checked. The shared
 * Postgres is only touched through this run's own backends and schema; Redis is a throwaway one
 * (durable, so the restart keeps its streams). Each step waits on an observed condition.
 */
describe.runIf(postgres !== undefined)('chaos: faults under mixed load on two replicas', () => {
  const schema = `chaos_${randomBytes(6).toString('hex')}`;
  const applicationName = `caracal_chaos_${randomBytes(4).toString('hex')}`;
  let redis: ThrowawayRedis;
  let database: Database;
  let subscriberBus: EventBus;
  const replicas: Array<ServerProcess | undefined> = [];
  /** Every server process started, the killed one included (their logs explain each 5xx). */
  const started: ServerProcess[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    redis = await throwawayRedis({ durable: true });
    database = await openDatabase({ databaseUrl: databaseUrl!, schema });
    env = {
      DATABASE_URL: `${databaseUrl!}${databaseUrl!.includes('?') ? '&' : '?'}application_name=${applicationName}`,
      DATABASE_SCHEMA: schema,
      REDIS_URL: redis.url,
      CARACAL_ADMIN_TOKEN: ADMIN_TOKEN,
      CARACAL_EVENT_SECRET: 'chaos-event-secret',
      CARACAL_KEY_SECRET: 'chaos-key-secret',
      CARACAL_PUBLIC_URL: 'https://caracal.chaos.test',
    };
    replicas.push(...(await Promise.all([startServerProcess(env), startServerProcess(env)])).map(watch));
    subscriberBus = await openRedisEventBus({ url: redis.url });
  }, 120_000);

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica?.kill('SIGKILL')));
    await subscriberBus?.close();
    await database?.close();
    await redis?.dispose();
    await dropSchema(schema);
  });

  /** Replica processes that exited without being killed on purpose (each one a crash). */
  const crashes: string[] = [];
  const watch = (replica: ServerProcess): ServerProcess => {
    started.push(replica);
    replica.child.once('exit', (code, signal) => {
      if (signal !== 'SIGKILL' && signal !== 'SIGTERM') crashes.push(`exit ${code ?? signal}: ${replica.stderr().slice(-2000)}`);
    });
    return replica;
  };
  const up = (): string[] => replicas.filter((replica): replica is ServerProcess => replica !== undefined).map((replica) => replica.url);
  const pick = (): string => {
    const urls = up();
    return urls[Math.floor(Math.random() * urls.length)]!;
  };
  const count = async (sql: string, values: unknown[] = []): Promise<number> =>
    (await database.query<{ count: number }>(sql, values)).rows[0]!.count;
  let workers: ChaosWorker[] = [];
  /**
   * Waits until the load has made `PROGRESS` more successful requests. An answer no fault explains
   * ends the wait at once (the load would otherwise spin on it); a stall says what was in flight.
   */
  const progress = async (ledger: ChaosLedger, what: string) => {
    const from = ledger.successes;
    await waitFor(() => ledger.successes >= from + PROGRESS || ledger.unexpected.length > 0, { what: `load progress ${what}`, timeoutMs: 60_000 }).catch(
      async (error: unknown) => {
        const stall = await describeStall({ workers, ledger, database, applicationName, replicas, started });
        throw new Error(`${String(error)} (${ledger.successes - from} of ${PROGRESS} successes)\n${stall}`, { cause: error });
      },
    );
    expect(ledger.unexpected, `answers no fault explains, ${what}`).toEqual([]);
  };

  /** Samples the live sessions per zone and application back to back until stopped; every sample over a limit is kept. */
  const sampleLimits = () => {
    let sampling = true;
    const overLimit: string[] = [];
    let samples = 0;
    const done = (async () => {
      while (sampling) {
        try {
          const { rows } = await database.query<{ zone_id: string; application_id: string; live: number; across: number }>(
            `SELECT zone_id, application_id, count(*)::int AS live,
               sum(count(*)) OVER (PARTITION BY application_id)::int AS across
             FROM agent_sessions WHERE status <> 'terminated' GROUP BY zone_id, application_id`,
          );
          samples += 1;
          for (const row of rows) {
            if (row.live > ZONE_LIMIT || row.across > APPLICATION_LIMIT) overLimit.push(JSON.stringify(row));
          }
        } catch {
          // a failed sample proves nothing either way: sample again
        }
        // Pacing, not synchronisation: a sample every ~25 ms is plenty and spares the shared machine.
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();
    return {
      async stop() {
        sampling = false;
        await done;
        return { samples, overLimit };
      },
    };
  };

  /** The four faults, one after another, each met by load before and after it; `faults` names each one injected. */
  const injectFaults = async (ledger: ChaosLedger, faults: { push(fault: string): void }) => {
    await progress(ledger, 'before the first fault');

    // 1. Redis restarted (spawns and terminations go on; events wait in the outbox).
    await redis.stop();
    faults.push('redis stopped');
    await progress(ledger, 'while Redis is down');
    await redis.start();
    faults.push('redis started');
    await progress(ledger, 'after Redis came back');

    // 2. Every Postgres backend of both servers terminated, the LISTEN connections among them.
    const ourBackends = `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()`;
    const listening = () => count(`SELECT count(*)::int AS count FROM pg_stat_activity WHERE application_name = $1 AND query ILIKE 'LISTEN%'`, [applicationName]);
    await waitFor(async () => (await listening()) >= 2, { what: 'both replicas to LISTEN', timeoutMs: 60_000 });
    const terminated = await count(`SELECT count(*)::int AS count FROM (SELECT pg_terminate_backend(pid) FROM (${ourBackends}) AS ours) AS killed`, [applicationName]);
    faults.push(`pg_terminate_backend ×${terminated}`);
    await waitFor(async () => (await listening()) >= 2, { what: 'both replicas to LISTEN again', timeoutMs: 120_000 }).catch(async (error: unknown) => {
      const { rows } = await database.query(`SELECT pid, state, backend_start, query FROM pg_stat_activity WHERE application_name = $1`, [applicationName]);
      throw new Error(`${String(error)}; the servers' backends: ${JSON.stringify(rows)}`, { cause: error });
    });
    await progress(ledger, 'after the backends were terminated');

    // 3. Replica 1 SIGKILLed mid-load, then started again.
    const killed = replicas[1]!;
    replicas[1] = undefined;
    await killed.kill('SIGKILL');
    faults.push('replica SIGKILL');
    await progress(ledger, 'with one replica dead');
    replicas[1] = watch(await startServerProcess(env));
    faults.push('replica restarted');
    await progress(ledger, 'after the replica restarted');

    // 4. A replica paused while it holds a job lease, until the other replica has taken that job over.
    const owners = replicas.map((replica) => `%:${replica!.child.pid}:%`);
    let holder = -1;
    let job = '';
    await waitFor(
      async () => {
        const { rows } = await database.query<{ job: string; owner: string }>(
          `SELECT job, owner FROM caracal_job_leases WHERE job IN ('ttl-sweeper', 'deadline-enforcer') AND lease_until > now()`,
        );
        for (const row of rows) {
          const index = owners.findIndex((pattern) => row.owner.includes(pattern.slice(1, -1)));
          if (index >= 0) {
            holder = index;
            job = row.job;
            return true;
          }
        }
        return false;
      },
      { what: 'a replica to hold a job lease', timeoutMs: 60_000 },
    );
    const paused = replicas[holder]!;
    const pausedAt = (await database.query<{ now: Date }>('SELECT now() AS now')).rows[0]!.now;
    paused.child.kill('SIGSTOP');
    faults.push(`replica SIGSTOP holding ${job}`);
    try {
      const other = owners[1 - holder]!;
      await waitFor(
        async () => (await count(`SELECT count(*)::int AS count FROM caracal_job_leases WHERE job = $1 AND owner LIKE $2 AND last_run_at > $3`, [job, other, pausedAt])) > 0,
        { what: `the other replica to take over ${job}`, timeoutMs: 60_000 },
      );
    } finally {
      paused.child.kill('SIGCONT');
      faults.push('replica SIGCONT');
    }
    await progress(ledger, 'after the paused replica resumed');
  };

  it('keeps every invariant: events once, limits, acyclic graph, revocations delivered, idempotent retries', async () => {
    const startedAt = Date.now();
    const zone = await createAdminZone(up()[0]!, ADMIN_TOKEN, { zoneId: ZONE, applications: { app_chaos: ['tools:call'] } });
    const resource = await fetch(`${up()[0]!}/admin/zones/${ZONE}/resources`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ identifier: RESOURCE, scopes: ['tools:call'] }),
    });
    expect(resource.status).toBeLessThan(300);
    // Minted by one replica, presented to both: they share the issuer (CARACAL_PUBLIC_URL) and the keys.
    const token = await sessionToken(up()[1]!, zone.applications.app_chaos!);

    // The subscribers, in place before any load: the event bus (every topic, the timeline included) and a verifier's revocation feed.
    const deliveries = new Map<string, number>();
    /** The stream ids each outbox row was seen at (several when it was published more than once). */
    const streamIds = new Map<string, string[]>();
    const unsubscribe = await Promise.all(
      FEED_TOPICS.map((topic) =>
        subscriberBus.subscribe(
          topic,
          (entry) => {
            const id = entry.fields.outbox_id!;
            deliveries.set(id, (deliveries.get(id) ?? 0) + 1);
            streamIds.set(id, [...(streamIds.get(id) ?? []), entry.id]);
          },
          { afterId: '0' },
        ),
      ),
    );
    // Replica 0 is never killed: the feed stays on it and resumes (Last-Event-ID) after drops.
    const feed = new RevocationFeed(() => (replicas[0] ?? replicas[1])!.url, ZONE, token);
    const ledger = emptyLedger();
    const faults: string[] = [];
    const faultTimes: Array<{ fault: string; at: number }> = [];
    const recordFault = {
      push(fault: string) {
        faults.push(fault);
        faultTimes.push({ fault, at: Date.now() });
      },
    };
    let published: string[];
    let limits: { samples: number; overLimit: string[] };
    try {
      // Subscribed throughout: no session may end before the verifier's feed has fixed its position.
      await waitFor(() => feed.subscribed, { what: "the verifier's feed to open", timeoutMs: 60_000 });
      const sampler = sampleLimits();
      let stopped = false;
      const abandon = new AbortController();
      workers = Array.from({ length: WORKERS }, () => new ChaosWorker(ledger, pick, { zoneId: ZONE, token, resource: RESOURCE }));
      const running = workers.map((worker) => worker.run(() => stopped, abandon.signal));
      try {
        await injectFaults(ledger, recordFault);
        // Each worker ends the unit it is in (no session left live) before it stops.
        stopped = true;
        await Promise.all(running);
      } finally {
        stopped = true;
        abandon.abort(new Error('the chaos run failed'));
        await Promise.allSettled(running);
        limits = await sampler.stop();
      }

      // Afterwards: every outbox row published and on the subscriber's side, every revocation at the verifier.
      await waitFor(async () => (await count(`SELECT count(*)::int AS count FROM caracal_outbox WHERE status <> 'published'`)) === 0, {
        what: 'the outbox to drain',
        timeoutMs: 60_000,
      });
      const ids = (await database.query<{ id: string }>('SELECT id::text AS id FROM caracal_outbox')).rows.map((row) => row.id);
      published = ids;
      // Bounded waits whose shortfall the invariants below report in detail.
      await waitFor(() => ids.every((id) => deliveries.has(id)), { what: 'every event to reach the subscriber', timeoutMs: 60_000 }).catch(() => {});
      await waitFor(() => [...ledger.terminated].every((id) => feed.revoked.has(id)), { what: 'every revocation to reach the verifier', timeoutMs: 60_000 }).catch(() => {});
    } finally {
      await Promise.all(unsubscribe.map((stop) => stop()));
      await feed.close();
    }

    const publishedIds = new Set(published);
    const lost = published.filter((id) => !deliveries.has(id));
    const unknown = [...deliveries.keys()].filter((id) => !publishedIds.has(id));
    const duplicates = [...deliveries.values()].filter((times) => times > 1).length;
    const revocationsMissing = [...ledger.terminated].filter((id) => !feed.revoked.has(id));
    const live = await count(`SELECT count(*)::int AS count FROM agent_sessions WHERE status <> 'terminated'`);
    const cycles = findCycles(
      (await database.query<{ source: string; target: string }>(`SELECT source_session_id AS source, target_session_id AS target FROM delegation_edges WHERE status = 'active'`)).rows,
    );
    const violations = {
      eventsLost: lost.length,
      eventsUnknown: unknown.length,
      overLimit: limits.overLimit.length,
      refusedBelowLimit: ledger.refusalsBelowLimit.length,
      cyclesAccepted: ledger.cyclesAccepted.length,
      cyclesInGraph: cycles,
      revocationsMissing: revocationsMissing.length,
      idempotencyMismatches: ledger.idempotencyMismatches.length,
      sessionsLeftLive: live,
      unexpectedAnswers: ledger.unexpected.length,
      replicaCrashes: crashes.length,
    };
    const total = Object.values(violations).reduce((sum, value) => sum + value, 0);
    console.log(
      [
        `chaos: ${ledger.requests} requests (${ledger.successes} 2xx, ${ledger.retriedFailures} failed and retried), answers ${JSON.stringify(Object.fromEntries(ledger.byStatus))}`,
        `chaos: server warnings ${JSON.stringify(countServerWarnings(started))}`,
        `chaos: ${faults.length} faults injected: ${faults.join(', ')}`,
        `chaos: ${published.length} events committed, ${deliveries.size} delivered after dedupe (${duplicates} delivered more than once before dedupe); ${ledger.terminated.size} sessions terminated, ${feed.revoked.size} revocations at the verifier (${feed.reconnects} feed reconnects); ${limits.samples} limit samples; ${ledger.idempotentReplays} idempotent replays`,
        `chaos: invariant violations ${total} ${JSON.stringify(violations)}; ${((Date.now() - startedAt) / 1000).toFixed(1)} s`,
      ].join('\n'),
    );
    expect(crashes).toEqual([]);
    expect(ledger.idempotencyMismatches).toEqual([]);
    expect(ledger.refusalsBelowLimit).toEqual([]);
    expect(ledger.cyclesAccepted).toEqual([]);
    expect(ledger.unexpected).toEqual([]);
    expect(limits.overLimit).toEqual([]);
    expect(lost).toEqual([]);
    expect(unknown).toEqual([]);
    const missingReport =
      revocationsMissing.length === 0
        ? ''
        : await describeMissingRevocations({ missing: revocationsMissing, database, streamIds, terminatedAt: ledger.terminatedAt, faultTimes, feedCursor: feed.lastEventId, startedAt });
    expect(revocationsMissing, missingReport).toEqual([]);
    expect(cycles).toBe(0);
    expect(live).toBe(0);
    expect(total).toBe(0);
  }, 300_000);
});

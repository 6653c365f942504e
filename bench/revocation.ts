/**
 * Revocation push latency: from the moment POST /zones/{z}/delegations/{id}/revoke answers to the
 * moment a receiver's revocation store refuses the revoked edge's target (its session or the
 * edge), through each push path side by side on the same revokes:
 *
 * - SSE: `sseRevocationSource` on the Coordinator's feed;
 * - Redis: `redisRevocationSource`, a consumer group on the server's own `caracal.sessions.revoke`
 *   stream (HMAC-checked with `eventSignatureVerifier`), when REDIS_URL is set or
 *   redis://127.0.0.1:6379 answers. The server then publishes to that Redis.
 *
 * Server on real Postgres when DATABASE_URL is set (its throwaway schema is dropped at the end),
 * embedded PGlite otherwise. Target: p99 ≤ 50 ms. Prints PASS/MISS; never fails on a timing.
 */
import { randomBytes } from 'node:crypto';
import { createClient, type RedisClientType } from 'redis';
import { bind, Caracal } from '@caracal/sdk';
import { eventSignatureVerifier, redisRevocationSource, SESSIONS_REVOKE_TOPIC, sseRevocationSource, type RevocationQuery, type RevocationSource } from '@caracal/sdk/verify';
import { startServer } from '@caracal/server';
import { serverContextOf } from '@caracal/server/testing';

const ZONE = 'zone_bench';
const ROUNDS = Number(process.env.ROUNDS ?? 100);
const TARGET_P99_MS = 50;
const DEADLINE_MS = 5000;
const secret = randomBytes(12).toString('hex');
const adminToken = randomBytes(12).toString('hex');
const eventSigningSecret = randomBytes(16).toString('hex');
const tag = `bench_${randomBytes(4).toString('hex')}`;
const databaseUrl = process.env.DATABASE_URL;
const databaseSchema = databaseUrl === undefined ? undefined : tag;

/** A connected node-redis client for REDIS_URL, or for the local default when it answers. */
async function connectRedis(): Promise<{ url: string; client: RedisClientType } | undefined> {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const client: RedisClientType = createClient({ url, socket: { connectTimeout: 1000, reconnectStrategy: false } });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return { url, client };
  } catch (error) {
    if (process.env.REDIS_URL !== undefined) throw error;
    return undefined;
  }
}

const redis = await connectRedis();
const keyPrefix = `${tag}:`;
const server = await startServer({
  port: 0,
  logger: false,
  // A server on Postgres needs its own secrets (docs/configuration.md); random ones do for a bench.
  keyEncryptionSecret: randomBytes(32).toString('base64url'),
  adminToken,
  eventSigningSecret,
  databaseUrl,
  databaseSchema,
  redisUrl: redis?.url,
  redisKeyPrefix: redis === undefined ? undefined : keyPrefix,
  limits: { maxChildren: 1000, maxActivePerZoneApplication: 1000, maxActivePerApplication: 1000 },
  bootstrap: { zones: [{ id: ZONE, applications: [{ id: 'app_bench', secret, scopes: ['tools:call'] }], resources: [{ id: 'mcp://bench', scopes: ['tools:call'] }] }] },
});
const caracal = new Caracal({ coordinatorUrl: server.url, zoneId: ZONE, clientId: 'app_bench', clientSecret: secret, onCleanupError: () => undefined });
const operatorResponse = await fetch(`${server.url}/admin/zones/${ZONE}/operator-token`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: '{}' });
const operator = ((await operatorResponse.json()) as { access_token: string }).access_token;

interface Path {
  readonly name: string;
  readonly source: RevocationSource;
  readonly samples: number[];
  lost: number;
}

const paths: Path[] = [{ name: 'SSE feed', source: sseRevocationSource({ url: server.url, zoneId: ZONE, token: operator, replayMs: 0 }), samples: [], lost: 0 }];
let reader: RedisClientType | undefined;
if (redis !== undefined) {
  // XREADGROUP … BLOCK holds its connection: the source gets one of its own.
  reader = redis.client.duplicate();
  reader.on('error', () => undefined);
  await reader.connect();
  const signedBy = eventSignatureVerifier(eventSigningSecret);
  const source = redisRevocationSource({
    client: reader,
    stream: keyPrefix + SESSIONS_REVOKE_TOPIC,
    zoneId: ZONE,
    replayMs: 0,
    // The server signs over the unprefixed topic; the prefix is only where the stream lives.
    verifyEvent: (fields) => signedBy(fields, SESSIONS_REVOKE_TOPIC),
  });
  paths.push({ name: 'Redis', source, samples: [], lost: 0 });
}
for (const path of paths) await path.source.ready();

/** Resolves with the time `source`'s store first refuses `query`; rejects after `deadlineMs`. */
function refusedAt(source: RevocationSource, query: RevocationQuery, deadlineMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { stop(); reject(new Error(`not pushed within ${deadlineMs} ms`)); }, deadlineMs);
    const stop = source.store.onRevoked(() => {
      if (source.store.findRevoked(query) === undefined) return;
      clearTimeout(timer);
      stop();
      resolve(performance.now());
    });
  });
}

await caracal.spawn({ kind: 'service' }, async (parent) => {
  for (let round = 0; round < ROUNDS; round++) {
    await caracal.spawn({ kind: 'ephemeral', grant: 'none' }, async (child) => {
      // An edge from the parent's session to the child's: delegate in the parent's context.
      const edgeId = await bind(parent, () => caracal.delegate({ to: child.agentSessionId!, scopes: ['tools:call'], ttlSeconds: 600 }, async (delegated) => delegated.delegationEdgeId!));
      // The edge's revocation terminates its target: the SSE feed carries both, the Redis
      // sessions.revoke stream the session. Either makes a receiver refuse the delegated caller.
      const query: RevocationQuery = { sessionIds: [child.agentSessionId!], edgeIds: [edgeId] };
      const seen = paths.map((path) => refusedAt(path.source, query, DEADLINE_MS));
      const response = await fetch(`${server.url}/zones/${ZONE}/delegations/${edgeId}/revoke`, { method: 'POST', headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/json' }, body: '{}' });
      const answered = performance.now();
      await response.arrayBuffer();
      const outcomes = await Promise.allSettled(seen);
      for (const [index, outcome] of outcomes.entries()) {
        const path = paths[index]!;
        if (outcome.status === 'fulfilled') path.samples.push(Math.max(0, outcome.value - answered));
        else path.lost++;
      }
    });
  }
});

function quantile(samples: readonly number[], q: number): number {
  const sorted = samples.toSorted((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

const backend = `${databaseUrl === undefined ? 'embedded PGlite' : 'postgres'} + ${redis === undefined ? 'in-process bus' : 'redis streams'}`;
console.log(`revocation push latency, ${ROUNDS} revokes, server ${backend}`);
for (const path of paths) {
  const p50 = quantile(path.samples, 0.5);
  const p99 = quantile(path.samples, 0.99);
  const verdict = p99 <= TARGET_P99_MS && path.lost === 0 ? 'PASS' : 'MISS';
  console.log(`  ${path.name.padEnd(9)} p50 ${p50.toFixed(1).padStart(6)} ms   p99 ${p99.toFixed(1).padStart(6)} ms   max ${quantile(path.samples, 1).toFixed(1).padStart(6)} ms   lost ${path.lost}   target p99 ≤ ${TARGET_P99_MS} ms: ${verdict}`);
}
if (redis === undefined) console.log('  Redis     skipped: REDIS_URL unset and redis://127.0.0.1:6379 does not answer');
else if (paths.length === 2) console.log(`  ratio     Redis/SSE p50 ${(quantile(paths[1]!.samples, 0.5) / quantile(paths[0]!.samples, 0.5)).toFixed(2)}`);

for (const path of paths) await path.source.close();
await caracal.close();
// Dropped over the server's own pool before it closes (the jobs' last rounds then fail quietly; logs are off).
if (databaseSchema !== undefined) await serverContextOf(server).database.query(`DROP SCHEMA IF EXISTS "${databaseSchema}" CASCADE`);
await server.close();
if (redis !== undefined) {
  for (let cursor = '0'; ;) {
    const [next, keys] = (await redis.client.sendCommand(['SCAN', cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', '1000'])) as [string, string[]];
    if (keys.length > 0) await redis.client.sendCommand(['DEL', ...keys]);
    if ((cursor = next) === '0') break;
  }
  await reader?.close();
  await redis.client.close();
}

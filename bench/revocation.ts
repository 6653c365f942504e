/**
 * Revocation push latency: from the moment POST /zones/{z}/delegations/{id}/revoke answers to the
 * moment a receiver's revocation store (fed by the Coordinator's SSE feed) refuses the edge.
 * Server on real Postgres when DATABASE_URL is set (and Redis when REDIS_URL is set), embedded
 * otherwise. Target: p99 ≤ 50 ms. Prints PASS/MISS; never fails on a timing.
 *
 * Not yet measured here: the Redis consumer-group source (bench/package.json has no `redis`).
 */
import { randomBytes } from 'node:crypto';
import { bind, Caracal } from '@caracal/sdk';
import { sseRevocationSource } from '@caracal/sdk/verify';
import { startServer } from '@caracal/server';

const ZONE = 'zone_bench';
const ROUNDS = Number(process.env.ROUNDS ?? 100);
const TARGET_P99_MS = 50;
const secret = randomBytes(12).toString('hex');
const adminToken = randomBytes(12).toString('hex');
const server = await startServer({
  port: 0,
  logger: false,
  adminToken,
  databaseUrl: process.env.DATABASE_URL,
  databaseSchema: process.env.DATABASE_URL === undefined ? undefined : `bench_${randomBytes(4).toString('hex')}`,
  redisUrl: process.env.REDIS_URL,
  limits: { maxChildren: 1000, maxActivePerZoneApplication: 1000, maxActivePerApplication: 1000 },
  bootstrap: { zones: [{ id: ZONE, applications: [{ id: 'app_bench', secret, scopes: ['tools:call'] }], resources: [{ id: 'mcp://bench', scopes: ['tools:call'] }] }] },
});
const caracal = new Caracal({ coordinatorUrl: server.url, zoneId: ZONE, clientId: 'app_bench', clientSecret: secret, onCleanupError: () => undefined });
const operatorResponse = await fetch(`${server.url}/admin/zones/${ZONE}/operator-token`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: '{}' });
const operator = ((await operatorResponse.json()) as { access_token: string }).access_token;
const source = sseRevocationSource({ url: server.url, zoneId: ZONE, token: operator, replayMs: 0 });
await source.ready();

function revokedSeen(edgeId: string, deadlineMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { stop(); reject(new Error(`edge ${edgeId} not pushed within ${deadlineMs} ms`)); }, deadlineMs);
    const stop = source.store.onRevoked(() => {
      if (source.store.findRevoked({ edgeIds: [edgeId] }) === undefined) return;
      clearTimeout(timer);
      stop();
      resolve(performance.now());
    });
  });
}

const samples: number[] = [];
let lost = 0;
await caracal.spawn({ kind: 'service' }, async (parent) => {
  for (let round = 0; round < ROUNDS; round++) {
    await caracal.spawn({ kind: 'ephemeral', grant: 'none' }, async (child) => {
      // An edge from the parent's session to the child's: delegate in the parent's context.
      const edgeId = await bind(parent, () => caracal.delegate({ to: child.agentSessionId!, scopes: ['tools:call'], ttlSeconds: 600 }, async (delegated) => delegated.delegationEdgeId!));
      const seen = revokedSeen(edgeId, 5000);
      const response = await fetch(`${server.url}/zones/${ZONE}/delegations/${edgeId}/revoke`, { method: 'POST', headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/json' }, body: '{}' });
      const answered = performance.now();
      await response.arrayBuffer();
      try {
        samples.push(Math.max(0, (await seen) - answered));
      } catch {
        lost++;
      }
    });
  }
});

const sorted = samples.toSorted((a, b) => a - b);
const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
const backend = process.env.DATABASE_URL === undefined ? 'embedded (PGlite, in-process bus)' : `postgres${process.env.REDIS_URL === undefined ? '' : ' + redis streams'}`;
console.log(`revocation push latency, ${samples.length} revokes, server ${backend}`);
console.log(`  SSE feed   p50 ${at(0.5).toFixed(1)} ms   p99 ${at(0.99).toFixed(1)} ms   max ${at(1).toFixed(1)} ms   lost ${lost}   target p99 ≤ ${TARGET_P99_MS} ms: ${at(0.99) <= TARGET_P99_MS && lost === 0 ? 'PASS' : 'MISS'}`);
console.log('  Redis      not measured yet (see the header comment)');
await source.close();
await caracal.close();
await server.close();

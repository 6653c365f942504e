import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventBus } from '../../src/events/event-bus.ts';
import { openRedisEventBus } from '../../src/events/redis-event-bus.ts';
import { FEED_TOPICS } from '../../src/events/topics.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { outboxStatusCounts, readWholeStream } from '../events/support/outbox-fixtures.ts';
import { createAdminZone, sessionToken } from './support/admin-setup.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';
import { useFaultStage } from './support/fault-stage.ts';

const databaseUrl = process.env.CARACAL_TEST_DATABASE_URL;
const MAX_CHILDREN = 10;

describe.runIf(databaseUrl !== undefined && process.env.CARACAL_TEST_REDIS_URL !== undefined)('two server processes on one Postgres and one Redis', () => {
  const stage = useFaultStage('replicas', databaseUrl!);
  let bus: EventBus;
  const replicas: ServerProcess[] = [];
  let token: string;
  const zoneId = 'zone_replicas';

  beforeAll(async () => {
    bus = await openRedisEventBus({ url: stage.redis.url });
    const env = stage.serverEnv();
    replicas.push(...(await Promise.all([startServerProcess(env), startServerProcess(env)])));
    const zone = await createAdminZone(replicas[0]!.url, stage.adminToken, { zoneId, applications: { app_alpha: ['tools:call'] } });
    // Minted by one replica, accepted by the other: keys live in the shared stage.database.
    token = await sessionToken(replicas[1]!.url, zone.applications.app_alpha!);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.kill('SIGTERM')));
    await bus?.close();
  });

  const call = async (replica: ServerProcess, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> => {
    const response = await fetch(`${replica.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const spawnSession = async (replica: ServerProcess, body: Record<string, unknown> = {}): Promise<string> => {
    const answer = await call(replica, 'POST', `/zones/${zoneId}/agents`, body);
    if (answer.status !== 201) throw new Error(`spawn: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body.agent_session_id as string;
  };

  it('keeps the children limit when 30 spawns for one parent race across both replicas', async () => {
    const parent = await spawnSession(replicas[0]!);
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, index) => call(replicas[index % 2]!, 'POST', `/zones/${zoneId}/agents`, { parent_id: parent })),
    );
    const created = answers.filter((answer) => answer.status === 201);
    expect(created).toHaveLength(MAX_CHILDREN);
    expect(answers.filter((answer) => answer.status !== 201).every((answer) => answer.status === 409 || answer.status === 429)).toBe(true);
    const children = await call(replicas[1]!, 'GET', `/zones/${zoneId}/agents/${parent}/children?limit=100`);
    expect((children.body.items as unknown[]).length).toBe(MAX_CHILDREN);
  }, 60_000);

  it('never forms a cycle when opposite edges race on the two replicas', async () => {
    const pairs = await Promise.all(
      Array.from({ length: 12 }, async () => [await spawnSession(replicas[0]!), await spawnSession(replicas[1]!)] as const),
    );
    const outcomes = await Promise.all(
      pairs.map(async ([left, right]) => {
        const [forward, backward] = await Promise.all([
          call(replicas[0]!, 'POST', `/zones/${zoneId}/delegations`, { source_session_id: left, target_session_id: right, scopes: ['tools:call'] }),
          call(replicas[1]!, 'POST', `/zones/${zoneId}/delegations`, { source_session_id: right, target_session_id: left, scopes: ['tools:call'] }),
        ]);
        return [forward, backward];
      }),
    );
    for (const [forward, backward] of outcomes) {
      const statuses = [forward!.status, backward!.status].sort();
      expect(statuses).toEqual([201, 409]);
      expect([forward!.body.error, backward!.body.error]).toContain('cycle_detected');
    }
    // A three-session ring raced the same way: at most two of its three edges may exist.
    const [a, b, c] = [await spawnSession(replicas[0]!), await spawnSession(replicas[1]!), await spawnSession(replicas[0]!)];
    const ring = await Promise.all([
      call(replicas[0]!, 'POST', `/zones/${zoneId}/delegations`, { source_session_id: a, target_session_id: b, scopes: ['tools:call'] }),
      call(replicas[1]!, 'POST', `/zones/${zoneId}/delegations`, { source_session_id: b, target_session_id: c, scopes: ['tools:call'] }),
      call(replicas[0]!, 'POST', `/zones/${zoneId}/delegations`, { source_session_id: c, target_session_id: a, scopes: ['tools:call'] }),
    ]);
    expect(ring.filter((answer) => answer.status === 201).length).toBe(2);
  }, 60_000);

  it('delivers every outbox row exactly once across both replicas’ publishers', async () => {
    await waitFor(async () => (await outboxStatusCounts(stage.database)).pending === undefined, {
      what: 'the outbox to drain',
      timeoutMs: 30_000,
    });
    const rows = await stage.database.query<{ id: string; topic: string }>("SELECT id::text AS id, topic FROM caracal_outbox WHERE status = 'published'");
    expect(rows.rows.length).toBeGreaterThan(50);
    const seen = new Map<string, number>();
    const publishers = new Set<string>();
    for (const topic of FEED_TOPICS) {
      for (const entry of await readWholeStream(bus, topic)) {
        seen.set(entry.fields.outbox_id!, (seen.get(entry.fields.outbox_id!) ?? 0) + 1);
        publishers.add(entry.fields.published_by!);
      }
    }
    expect([...seen.keys()].sort()).toEqual(rows.rows.map((row) => row.id).sort());
    expect([...seen.values()].every((times) => times === 1)).toBe(true);
    expect((await outboxStatusCounts(stage.database)).dead).toBeUndefined();
    expect(publishers.size).toBeGreaterThanOrEqual(1);
  }, 60_000);
});

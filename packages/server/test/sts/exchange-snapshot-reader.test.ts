import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from '../../src/db/database.ts';
import { ExchangeSnapshotReader, type SnapshotRequest } from '../../src/sts/token/exchange-repository.ts';
import { testBackends } from '../helpers/backends.ts';
import { bootstrapZone, buildStsTestApp, insertAgentSession, insertDelegationEdge, TOOLS_RESOURCE, type StsTestApp, type ZoneFixture } from '../helpers/sts-fixtures.ts';

/** A Queryable that counts the statements it runs and can be told to fail one request's zone. */
function countingQueryable(inner: Queryable, failZone?: string): Queryable & { statements: number } {
  const counting = {
    statements: 0,
    async query<Row>(sql: string, params?: readonly unknown[], options?: { prepare?: boolean }) {
      counting.statements += 1;
      if (failZone !== undefined && (params?.[0] as string[] | undefined)?.includes(failZone)) throw new Error(`refusing zone ${failZone}`);
      return inner.query<Row>(sql, params, options);
    },
  };
  return counting;
}

/**
 * Concurrent token exchanges share one snapshot statement. The batch must answer each request
 * exactly as a read of its own would, in its own order, and a failure caused by one request
 * must not fail the others.
 */
describe.each(testBackends())('exchange snapshots read together on $name', (backend) => {
  let sts: StsTestApp;
  let zone: ZoneFixture;
  let requests: SnapshotRequest[];

  beforeAll(async () => {
    sts = await buildStsTestApp(backend);
    zone = await bootstrapZone(sts);
    const { database } = sts.context;
    const orchestrator = zone.applications.orchestrator!.id;
    const worker = zone.applications.worker!.id;
    const root = await insertAgentSession(database, { zoneId: zone.zoneId, applicationId: orchestrator });
    const child = await insertAgentSession(database, { zoneId: zone.zoneId, applicationId: worker });
    const edge = await insertDelegationEdge(database, {
      zoneId: zone.zoneId,
      sourceSessionId: root,
      targetSessionId: child,
      issuerApplicationId: orchestrator,
      receiverApplicationId: worker,
      scopes: ['tools:call'],
      expiresAt: new Date(Date.now() + 3600_000),
    });
    requests = [
      { zoneId: zone.zoneId, clientId: worker, resource: TOOLS_RESOURCE, sessionId: child, edgeId: edge },
      { zoneId: zone.zoneId, clientId: orchestrator, resource: TOOLS_RESOURCE, sessionId: root, edgeId: undefined },
      { zoneId: zone.zoneId, clientId: worker, resource: 'mcp://unknown.test', sessionId: undefined, edgeId: undefined },
      { zoneId: 'zone_missing', clientId: worker, resource: TOOLS_RESOURCE, sessionId: child, edgeId: edge },
    ];
  });
  afterAll(async () => sts.close());

  it('answers requests made in one turn with one statement, each as if read alone', async () => {
    const alone = [];
    for (const request of requests) alone.push(await new ExchangeSnapshotReader(sts.context.database).read(request));
    expect(alone[0]!.lineage.map((edge) => edge.targetSessionId)).toEqual([requests[0]!.sessionId]);
    expect(alone[1]!.session?.id).toBe(requests[1]!.sessionId);
    expect(alone[2]!.resourceScopes).toBeNull();
    expect(alone[3]!.keyVersion).toBeNull();

    const counted = countingQueryable(sts.context.database);
    const together = await Promise.all(requests.map((request) => new ExchangeSnapshotReader(counted).read(request)));
    expect(counted.statements).toBe(requests.length);
    const shared = new ExchangeSnapshotReader(counted);
    counted.statements = 0;
    const batched = await Promise.all(requests.map((request) => shared.read(request)));
    expect(counted.statements).toBe(1);
    expect(batched).toEqual(alone);
    expect(together).toEqual(alone);
  });

  it('fails only the request whose read fails, the rest still answered', async () => {
    const counted = countingQueryable(sts.context.database, 'zone_missing');
    const reader = new ExchangeSnapshotReader(counted);
    const outcomes = await Promise.allSettled(requests.map((request) => reader.read(request)));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
    expect(String((outcomes[3] as PromiseRejectedResult).reason)).toMatch(/refusing zone zone_missing/);
    // The shared statement, then one per request to isolate the failure.
    expect(counted.statements).toBe(1 + requests.length);
  });
});

import fc from 'fast-check';
import { describe, beforeAll, expect, it, vi } from 'vitest';
import { testBackends } from '../helpers/backends.ts';
import {
  decodeClaims,
  injectExchange,
  injectTokenRequest,
  insertAgentSession,
  insertDelegationEdge,
} from '../helpers/sts-fixtures.ts';
import { useStsSuite } from '../helpers/sts-suite.ts';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 120_000 });

const SCOPES = ['s:a', 's:b', 's:c', 's:d'] as const;
const RESOURCES: Record<string, string[]> = {
  'mcp://one.test': ['s:a', 's:b', 's:c'],
  'mcp://two.test': ['s:b', 's:c', 's:d'],
};
const RESOURCE_IDS = Object.keys(RESOURCES);

interface EdgeSpec {
  scopes: string[];
  resource: string | null;
  maxHops: number | null;
  budget: number | null;
  /** Minutes from now; negative = already expired. */
  expiresInMinutes: number;
  revoked: boolean;
  ttlSeconds: number | null;
}

interface ExchangeSpec {
  resource: string;
  scopes: string[] | undefined;
}

/** Mostly `value`, sometimes `other`: keeps random lineages viable often enough to mint. */
const mostly = <T,>(value: fc.Arbitrary<T>, other: fc.Arbitrary<T>, weight = 4): fc.Arbitrary<T> =>
  fc.oneof({ arbitrary: value, weight }, { arbitrary: other, weight: 1 });

const edgeSpec: fc.Arbitrary<EdgeSpec> = fc.record({
  scopes: mostly(fc.constant([...SCOPES]), fc.subarray([...SCOPES], { minLength: 0 }), 1),
  resource: mostly(fc.constant(null), fc.constantFrom(...RESOURCE_IDS), 3),
  maxHops: mostly(fc.constant(null), fc.integer({ min: 0, max: 6 }), 2),
  budget: mostly(fc.constant(null), fc.integer({ min: 0, max: 3 }), 2),
  expiresInMinutes: mostly(fc.integer({ min: 1, max: 120 }), fc.constant(-1), 9),
  revoked: mostly(fc.constant(false), fc.constant(true), 14),
  ttlSeconds: mostly(fc.constant(null), fc.integer({ min: 30, max: 2000 }), 2),
});

const exchangeSpec: fc.Arbitrary<ExchangeSpec> = fc.record({
  resource: fc.constantFrom(...RESOURCE_IDS),
  scopes: fc.option(fc.subarray([...SCOPES], { minLength: 1 }), { nil: undefined }),
});

describe.each(testBackends())('exchange properties on $name', (backend) => {
  const suite = useStsSuite(backend, { zone: { applications: { orchestrator: { scopes: [...SCOPES] }, worker: { scopes: [...SCOPES] } }, resources: RESOURCES } });
  let orchestrator: string;
  let worker: string;
  let workerToken: string;
  let workerTokenExpiresAt: number;

  beforeAll(async () => {
    orchestrator = suite.zone.applications.orchestrator!.id;
    worker = suite.zone.applications.worker!.id;
    const answer = await injectTokenRequest(suite.sts.app, { grant_type: 'client_credentials', client_id: worker, client_secret: suite.zone.applications.worker!.secret });
    workerToken = answer.body.access_token as string;
    workerTokenExpiresAt = decodeClaims(workerToken).exp as number;
  });

  /** Builds the lineage root → leaf as rows; returns the leaf session, the edge ids and each edge's expiry (ms). */
  const buildLineage = async (specs: EdgeSpec[]) => {
    const database = suite.sts.context.database;
    const now = suite.sts.clock.now();
    const sessions = [await insertAgentSession(database, { zoneId: suite.zone.zoneId, applicationId: orchestrator, now })];
    const edges: Array<{ id: string; expiresAt: number }> = [];
    for (const [index, spec] of specs.entries()) {
      const target = await insertAgentSession(database, { zoneId: suite.zone.zoneId, applicationId: worker, now });
      const expiresAt = now + spec.expiresInMinutes * 60_000;
      const id = await insertDelegationEdge(database, {
        zoneId: suite.zone.zoneId,
        sourceSessionId: sessions[index]!,
        targetSessionId: target,
        issuerApplicationId: index === 0 ? orchestrator : worker,
        receiverApplicationId: worker,
        parentEdgeId: edges[index - 1]?.id ?? null,
        scopes: spec.scopes,
        resourceId: spec.resource,
        maxHops: spec.maxHops,
        budget: spec.budget,
        constraints: spec.ttlSeconds === null ? {} : { ttl_seconds: spec.ttlSeconds },
        status: spec.revoked ? 'revoked' : 'active',
        expiresAt: new Date(expiresAt),
        now,
      });
      sessions.push(target);
      edges.push({ id, expiresAt });
    }
    return { leafSession: sessions.at(-1)!, edges };
  };

  const exchange = (leafSession: string, leafEdge: string, spec: ExchangeSpec) =>
    injectExchange(suite.sts.app, workerToken, {
      resource: spec.resource,
      scope: spec.scopes?.join(' '),
      agent_session_id: leafSession,
      delegation_edge_id: leafEdge,
    });

  it('never mints beyond what the ancestors allow (scope, resource, expiry, hops), nor beyond a budget', async () => {
    const outcomes = { minted: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(edgeSpec, { minLength: 1, maxLength: 5 }), fc.array(exchangeSpec, { minLength: 1, maxLength: 4 }), async (specs, exchanges) => {
        const { leafSession, edges } = await buildLineage(specs);
        const leafEdge = edges.at(-1)!.id;
        const nowSeconds = Math.floor(suite.sts.clock.now() / 1000);
        const budgets = specs.map((spec) => spec.budget);
        for (const request of exchanges) {
          const answer = await exchange(leafSession, leafEdge, request);
          // The oracle: when may this exchange succeed at all?
          const allowed = specs.reduce<string[]>((scopes, spec, index) => (index === 0 ? spec.scopes : scopes.filter((scope) => spec.scopes.includes(scope))), []);
          const grantable = allowed.filter((scope) => RESOURCES[request.resource]!.includes(scope));
          const lineageLive = specs.every((spec) => !spec.revoked && spec.expiresInMinutes > 0);
          const hopsOk = specs.every((spec, index) => spec.maxHops === null || specs.length - index <= spec.maxHops);
          const budgetOk = budgets.every((budget) => budget === null || budget > 0);
          const resourceOk = specs.every((spec) => spec.resource === null || spec.resource === request.resource);
          const scopesOk = request.scopes === undefined ? grantable.length > 0 : request.scopes.every((scope) => grantable.includes(scope));
          const expected = lineageLive && hopsOk && budgetOk && resourceOk && scopesOk;
          expect(answer.status === 200, JSON.stringify({ specs, request, answer: answer.body })).toBe(expected);
          if (answer.status !== 200) {
            outcomes.refused += 1;
            continue;
          }
          outcomes.minted += 1;
          for (const [index, budget] of budgets.entries()) if (budget !== null) budgets[index] = budget - 1;
          const claims = decodeClaims(answer.body.access_token as string);
          const scopes = (claims.scope as string).split(' ');
          // Scope: within every ancestor edge and the resource.
          for (const spec of specs) for (const scope of scopes) expect(spec.scopes).toContain(scope);
          for (const scope of scopes) expect(RESOURCES[request.resource]).toContain(scope);
          // Resource: the audience, and within every edge that names one.
          expect(claims.aud).toBe(request.resource);
          for (const spec of specs) if (spec.resource !== null) expect(spec.resource).toBe(claims.aud);
          // Expiry: never past any edge, the subject token, an edge ttl, or 15 minutes.
          const exp = claims.exp as number;
          expect(exp).toBeLessThanOrEqual(nowSeconds + 900);
          expect(exp).toBeLessThanOrEqual(workerTokenExpiresAt);
          for (const edge of edges) expect(exp).toBeLessThanOrEqual(Math.floor(edge.expiresAt / 1000));
          for (const spec of specs) if (spec.ttlSeconds !== null) expect(exp).toBeLessThanOrEqual(nowSeconds + spec.ttlSeconds);
          // Hops: the whole path, within every max_hops.
          expect(claims.hop_count).toBe(specs.length);
          expect(claims.delegation_path).toEqual(edges.map((edge) => edge.id));
          specs.forEach((spec, index) => {
            if (spec.maxHops !== null) expect(specs.length - index).toBeLessThanOrEqual(spec.maxHops);
          });
        }
        // Budgets in the database match what the successful mints spent, never below zero.
        const { rows } = await suite.sts.context.database.query<{ id: string; budget_remaining: number | null }>(
          'SELECT id, budget_remaining FROM delegation_edges WHERE id = ANY($1::text[])',
          [edges.map((edge) => edge.id)],
        );
        const stored = new Map(rows.map((row) => [row.id, row.budget_remaining]));
        edges.forEach((edge, index) => expect(stored.get(edge.id)).toBe(budgets[index]));
      }),
      { numRuns: 60 },
    );
    // The generators must exercise both sides, or the property says nothing.
    expect(outcomes.minted).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(0);
  });

  it('never overspends under concurrency: N concurrent exchanges against budget k → exactly min(N, k) succeed', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.option(fc.integer({ min: 0, max: 8 }), { nil: null }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 24 }),
        async (budgetSpecs, requests) => {
          const specs = budgetSpecs.map<EdgeSpec>((budget) => ({
            scopes: ['s:b'],
            resource: null,
            maxHops: null,
            budget,
            expiresInMinutes: 60,
            revoked: false,
            ttlSeconds: null,
          }));
          const { leafSession, edges } = await buildLineage(specs);
          const answers = await Promise.all(
            Array.from({ length: requests }, () => exchange(leafSession, edges.at(-1)!.id, { resource: 'mcp://one.test', scopes: ['s:b'] })),
          );
          const limits = budgetSpecs.filter((budget): budget is number => budget !== null);
          const capacity = limits.length === 0 ? requests : Math.min(requests, ...limits);
          const successes = answers.filter((answer) => answer.status === 200).length;
          expect(successes).toBe(capacity);
          for (const answer of answers) if (answer.status !== 200) expect(answer.body.error).toBe('access_denied');
          const { rows } = await suite.sts.context.database.query<{ id: string; budget_remaining: number | null }>(
            'SELECT id, budget_remaining FROM delegation_edges WHERE id = ANY($1::text[])',
            [edges.map((edge) => edge.id)],
          );
          const stored = new Map(rows.map((row) => [row.id, row.budget_remaining]));
          edges.forEach((edge, index) => {
            const budget = budgetSpecs[index]!;
            expect(stored.get(edge.id)).toBe(budget === null ? null : budget - successes);
          });
        },
      ),
      { numRuns: 15 },
    );
  });

  it('a budget of 5 under 40 concurrent exchanges mints exactly 5', async () => {
    const { leafSession, edges } = await buildLineage([
      { scopes: ['s:b'], resource: null, maxHops: null, budget: 50, expiresInMinutes: 60, revoked: false, ttlSeconds: null },
      { scopes: ['s:b'], resource: null, maxHops: null, budget: 5, expiresInMinutes: 60, revoked: false, ttlSeconds: null },
    ]);
    const answers = await Promise.all(
      Array.from({ length: 40 }, () => exchange(leafSession, edges[1]!.id, { resource: 'mcp://one.test', scopes: ['s:b'] })),
    );
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(5);
    const { rows } = await suite.sts.context.database.query<{ budget_remaining: number }>('SELECT budget_remaining FROM delegation_edges WHERE id = $1', [edges[0]!.id]);
    expect(rows[0]!.budget_remaining).toBe(45);
  });
});

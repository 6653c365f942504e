import { describe, expect, vi } from 'vitest';
import { bind, current, MAX_HOP, type CaracalContext } from '../../src/index.ts';
import { clientTest } from '../support/client-fixture.ts';
import { CLIENT, TOKEN, ZONE } from '../support/test-client.ts';

const parent: CaracalContext = { subjectToken: TOKEN, zoneId: ZONE, clientId: CLIENT, agentSessionId: 'agentsess_source', delegationEdgeId: 'deledge_prev', traceId: 'cd'.repeat(16), hop: 2 };

describe('caracal.delegate()', () => {
  clientTest('records the edge with the documented body and binds the child context', async ({ server, caracal }) => {
    const child = await bind(parent, () =>
      caracal.delegate(
        { to: 'agentsess_01jtarget00000000000000000', toClientId: 'app_worker', scopes: ['tools:call'], resource: 'mcp://tools.local', constraints: { ttlSeconds: 60, maxHops: 1, budget: 10, policyApproved: true }, ttlSeconds: 300 },
        async (context) => {
          expect(current()).toBe(context);
          return context;
        },
      ),
    );
    const [create] = server.requestsTo(`POST /zones/${ZONE}/delegations`);
    expect(create?.json).toEqual({
      source_session_id: 'agentsess_source',
      target_session_id: 'agentsess_01jtarget00000000000000000',
      issuer_application_id: CLIENT,
      receiver_application_id: 'app_worker',
      scopes: ['tools:call'],
      resource_id: 'mcp://tools.local',
      constraints: { ttl_seconds: 60, max_hops: 1, budget: 10, policy_approved: true },
      ttl_seconds: 300,
      parent_edge_id: 'deledge_prev',
    });
    expect(create?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(create?.headers['idempotency-key']).toBeTypeOf('string');
    expect(child).toMatchObject({ agentSessionId: 'agentsess_01jtarget00000000000000000', parentEdgeId: 'deledge_prev', hop: 3, traceId: parent.traceId, subjectToken: TOKEN });
    expect(child.delegationEdgeId).toMatch(/^deledge_/);
    expect(child.delegationEdgeId).not.toBe('deledge_prev');
    // The edge stays active: nothing is revoked or deleted after fn.
    expect(server.requests.map((request) => request.method)).toEqual(['POST']);
  });

  clientTest('chains: each nested delegation links to the previous edge and adds a hop', async ({ server, caracal }) => {
    const chain = await caracal.spawn({}, () =>
      caracal.delegate({ to: 'agentsess_01jb0000000000000000000000', scopes: ['a'] }, (first) =>
        caracal.delegate({ to: 'agentsess_01jc0000000000000000000000', scopes: ['a'], expiresAt: new Date(Date.UTC(2030, 0, 1)) }, (second) => [first, second]),
      ),
    );
    const [first, second] = chain;
    expect(first).toMatchObject({ agentSessionId: 'agentsess_01jb0000000000000000000000', hop: 1 });
    expect(first?.parentEdgeId).toBeUndefined();
    expect(second).toMatchObject({ agentSessionId: 'agentsess_01jc0000000000000000000000', hop: 2, parentEdgeId: first?.delegationEdgeId });
    const bodies = server.requestsTo('POST /zones/*/delegations').map((request) => request.json);
    expect(bodies[1]).toMatchObject({ source_session_id: 'agentsess_01jb0000000000000000000000', parent_edge_id: first?.delegationEdgeId, expires_at: '2030-01-01T00:00:00.000Z' });
  });

  clientTest('fails closed outside a context, without a session, and past hop 32 — before any request', async ({ server, caracal }) => {
    const fn = vi.fn();
    await expect(caracal.delegate({ to: 'agentsess_01jx0000000000000000000000', scopes: [] }, fn)).rejects.toMatchObject({ code: 'NO_ACTIVE_CONTEXT' });
    await expect(bind({ ...parent, agentSessionId: undefined }, () => caracal.delegate({ to: 'agentsess_01jx0000000000000000000000', scopes: [] }, fn))).rejects.toMatchObject({ code: 'NO_AGENT_SESSION' });
    await expect(bind({ ...parent, hop: MAX_HOP }, () => caracal.delegate({ to: 'agentsess_01jx0000000000000000000000', scopes: [] }, fn))).rejects.toMatchObject({ code: 'HOP_LIMIT_EXCEEDED' });
    expect(fn).not.toHaveBeenCalled();
    expect(server.requests).toHaveLength(0);
  });

  clientTest('allows the last hop (31 → 32)', async ({ caracal }) => {
    await expect(bind({ ...parent, hop: MAX_HOP - 1 }, () => caracal.delegate({ to: 'agentsess_01jx0000000000000000000000', scopes: [] }, (child) => child.hop))).resolves.toBe(MAX_HOP);
  });

  clientTest('refuses bad options with INVALID_ARGUMENT before any request', async ({ server, caracal }) => {
    const attempts = [
      { to: '', scopes: [] },
      { to: 'agentsess_01jx0000000000000000000000' },
      { to: 'agentsess_01jx0000000000000000000000', scopes: ['a'], expiresAt: new Date(), ttlSeconds: 5 },
      { to: 'agentsess_01jx0000000000000000000000', scopes: ['a'], expiresAt: 'not a date' },
      { to: 'agentsess_01jx0000000000000000000000', scopes: ['a'], constraints: { maxHops: 0 } },
    ];
    for (const options of attempts) {
      await expect(bind(parent, () => caracal.delegate(options as never, () => {}))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
    expect(server.requests).toHaveLength(0);
  });

  clientTest('refuses a malformed target session id before any request, naming the argument', async ({ server, caracal }) => {
    for (const to of ['agentsess_worker', 'deledge_01jx0000000000000000000000', 'AGENTSESS_01JX0000000000000000000000', 'agentsess_01jx000000000000000000000']) {
      const failure = await bind(parent, () => caracal.delegate({ to, scopes: ['a'] }, () => {})).catch((error: unknown) => error);
      expect(failure).toMatchObject({ code: 'INVALID_ARGUMENT', setting: 'to' });
      expect((failure as Error).message).toMatch(/^to must be an agent session id as spawn\(\) gives it/);
      expect((failure as Error).message).not.toMatch(/\^|\[0-9/);
    }
    expect(server.requests).toHaveLength(0);
  });
});

import { describe, expect, it } from 'vitest';
import { testBackends } from '../helpers/backends.ts';
import { useHarness } from './coordinator-harness.ts';

const ZONE = 'zone_seed';

/**
 * `/v1/begin`, `/v1/end` and `/v1/exchange` do what the zone routes do
 * (docs/decisions/2026-12-04-v1-compatibility-routes.md).
 */
describe.each(testBackends())('/v1 compatibility routes on $name', (backend) => {
  const { harness, tokens } = useHarness(backend, { zoneId: ZONE, tokens: {
    token: { clientId: 'app_seed', scopes: ['agent:lifecycle', 'tools:call'] },
  } });

  it('begins sessions, exchanges an edge and ends a subtree', async () => {
    const begin = (body: Record<string, unknown>) => harness.call({ method: 'POST', url: '/v1/begin', token: tokens.token, body });
    const root = await begin({ zone_id: ZONE, application_id: 'app_seed', session_sid: 'sid-1', parent_id: undefined, capabilities: [], ttl_seconds: 600 });
    expect(root.statusCode).toBe(201);
    expect(root.json()).toMatchObject({ zone_id: ZONE, application_id: 'app_seed', depth: 0 });
    const child = await begin({ zone_id: ZONE, parent_id: root.json().agent_session_id });
    const peer = await begin({});
    const exchange = await harness.call({
      method: 'POST',
      url: '/v1/exchange',
      token: tokens.token,
      body: {
        zone_id: ZONE,
        source_session_id: child.json().agent_session_id,
        target_session_id: peer.json().agent_session_id,
        issuer_application_id: 'app_seed',
        receiver_application_id: 'app_seed',
        scopes: ['tools:call'],
        constraints_json: { ttl_seconds: 60, max_hops: 1, budget: 2, policy_approved: true },
        expires_at: new Date(harness.clock.now() + 300_000).toISOString(),
      },
    });
    expect(exchange.statusCode).toBe(201);
    expect(exchange.json()).toMatchObject({ parent_edge_id: child.json().delegation_edge_id, max_hops: 1, budget_remaining: 2 });
    const end = await harness.call({ method: 'POST', url: '/v1/end', token: tokens.token, body: { zone_id: ZONE, agent_session_id: root.json().agent_session_id } });
    expect(end.json()).toEqual({ terminated_sessions: 2, revoked_edges: 2 });
    const revocation = await harness.database.query<{ payload: { session_sid: string | null } }>(
      `SELECT payload FROM caracal_outbox WHERE event_type = 'session_revoked' AND payload->>'agent_session_id' = $1`,
      [root.json().agent_session_id],
    );
    expect(revocation.rows[0]!.payload.session_sid).toBe('sid-1');
  });

  it('refuses another zone and unknown fields', async () => {
    expect((await harness.call({ method: 'POST', url: '/v1/begin', token: tokens.token, body: { zone_id: 'zone_else' } })).statusCode).toBe(403);
    expect((await harness.call({ method: 'POST', url: '/v1/begin', token: tokens.token, body: { nope: 1 } })).statusCode).toBe(400);
    expect((await harness.call({ method: 'POST', url: '/v1/end', token: tokens.token, body: { agent_session_id: 'agentsess_0000000000aaaaaaaaaaaaaaaa' } })).statusCode).toBe(404);
    expect((await harness.call({ method: 'POST', url: '/v1/end', body: { agent_session_id: 'x' } })).statusCode).toBe(401);
  });
});

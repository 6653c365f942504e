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

  /** A `/v1` call (they are all POSTs) with the zone's mandate. */
  const seed = (url: string, body: Record<string, unknown>) => harness.call({ method: 'POST', url, token: tokens.token, body });

  it('begins sessions, exchanges an edge and ends a subtree', async () => {
    const root = await seed('/v1/begin', { zone_id: ZONE, application_id: 'app_seed', session_sid: 'sid-1', parent_id: undefined, capabilities: [], ttl_seconds: 600 });
    expect(root.statusCode).toBe(201);
    expect(root.json()).toMatchObject({ zone_id: ZONE, application_id: 'app_seed', depth: 0 });
    const child = await seed('/v1/begin', { zone_id: ZONE, parent_id: root.json().agent_session_id });
    const peer = await seed('/v1/begin', {});
    const exchange = await seed('/v1/exchange', {
      zone_id: ZONE,
      source_session_id: child.json().agent_session_id,
      target_session_id: peer.json().agent_session_id,
      issuer_application_id: 'app_seed',
      receiver_application_id: 'app_seed',
      scopes: ['tools:call'],
      constraints_json: { ttl_seconds: 60, max_hops: 1, budget: 2, policy_approved: true },
      expires_at: new Date(harness.clock.now() + 300_000).toISOString(),
    });
    expect(exchange.statusCode).toBe(201);
    expect(exchange.json()).toMatchObject({ parent_edge_id: child.json().delegation_edge_id, max_hops: 1, budget_remaining: 2 });
    const end = await seed('/v1/end', { zone_id: ZONE, agent_session_id: root.json().agent_session_id });
    expect(end.json()).toEqual({ terminated_sessions: 2, revoked_edges: 2 });
    const revocation = await harness.database.query<{ payload: { session_sid: string | null } }>(
      `SELECT payload FROM caracal_outbox WHERE event_type = 'session_revoked' AND payload->>'agent_session_id' = $1`,
      [root.json().agent_session_id],
    );
    expect(revocation.rows[0]!.payload.session_sid).toBe('sid-1');
  });

  it('refuses another zone and unknown fields', async () => {
    expect((await seed('/v1/begin', { zone_id: 'zone_else' })).statusCode).toBe(403);
    expect((await seed('/v1/begin', { nope: 1 })).statusCode).toBe(400);
    expect((await seed('/v1/end', { agent_session_id: 'agentsess_0000000000aaaaaaaaaaaaaaaa' })).statusCode).toBe(404);
    expect((await harness.call({ method: 'POST', url: '/v1/end', body: { agent_session_id: 'x' } })).statusCode).toBe(401);
  });

  it("takes the seeds' literal bodies, where null stands for an absent value", async () => {
    // The documented /v1/begin body, as printed.
    const literal = { zone_id: ZONE, application_id: 'app_seed', session_sid: 'sid-literal', parent_id: null, capabilities: [], ttl_seconds: null };
    const begun = await seed('/v1/begin', literal);
    expect(begun.statusCode, begun.body).toBe(201);
    expect(begun.json()).toMatchObject({ parent_id: null, depth: 0, expires_at: null });
    const nulls = { kind: null, labels: null, metadata: { note: null }, grant: null, parent_edge_id: null };
    const peer = await seed('/v1/begin', { zone_id: null, application_id: null, ...nulls });
    expect(peer.statusCode, peer.body).toBe(201);
    // A null inside free-form data is data, not an absent field.
    const read = await harness.call({ method: 'GET', url: `/zones/${ZONE}/agents/${peer.json().agent_session_id}`, token: tokens.token });
    expect(read.json().metadata).toEqual({ note: null });
    const exchanged = await seed('/v1/exchange', {
      zone_id: null,
      source_session_id: begun.json().agent_session_id,
      target_session_id: peer.json().agent_session_id,
      issuer_application_id: null,
      receiver_application_id: null,
      scopes: ['tools:call'],
      resource_id: null,
      constraints: null,
      constraints_json: { ttl_seconds: null, max_hops: 2, budget: null, policy_approved: null },
      expires_at: null,
      ttl_seconds: null,
      parent_edge_id: null,
    });
    expect(exchanged.statusCode, exchanged.body).toBe(201);
    expect(exchanged.json()).toMatchObject({ resource_id: null, constraints: { max_hops: 2 }, parent_edge_id: null });
    const ended = await seed('/v1/end', { zone_id: null, agent_session_id: peer.json().agent_session_id });
    expect(ended.statusCode, ended.body).toBe(200);
    expect(ended.json()).toEqual({ terminated_sessions: 1, revoked_edges: 1 });
    // Null is only "absent": a required field stays required, a wrong type stays wrong.
    const refused = [
      { url: '/v1/end', body: { agent_session_id: null } },
      { url: '/v1/begin', body: { parent_id: 5 } },
      { url: '/v1/exchange', body: { source_session_id: begun.json().agent_session_id, target_session_id: peer.json().agent_session_id, scopes: null } },
    ];
    for (const { url, body } of refused) {
      const response = await seed(url, body);
      expect(response.statusCode, `${url} ${JSON.stringify(body)}`).toBe(400);
      expect(response.json().error).toBe('invalid_request');
    }
  });
});

import { RESOURCE_MAX_LENGTH, SCOPE_MAX_LENGTH } from '@caracal/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../helpers/backends.ts';
import { outboxEvents, useHarness } from './coordinator-harness.ts';

const ZONE = 'zone_delegations';

describe.each(testBackends())('delegation edges on $name', (backend) => {
  const { harness, tokens } = useHarness(backend, { zoneId: ZONE, seats: 1000, tokens: {
    alpha: { clientId: 'app_alpha', scopes: ['agent:lifecycle', 'tools:call', 'files:read', 'files:write'] },
    beta: { clientId: 'app_beta', scopes: ['agent:lifecycle', 'tools:call'] },
  } });

  beforeAll(async () => {
    // The STS's resources (its tables exist whenever the server's migrations ran).
    await harness.database.query(`INSERT INTO zones (id, name) VALUES ($1, $1)`, [ZONE]);
    await harness.database.query(
      `INSERT INTO resources (zone_id, identifier, scopes) VALUES
         ($1, 'mcp://tools.local', '{tools:call}'), ($1, 'https://files.example', '{files:read,files:write}'),
         ($1, 'https://other.example', '{files:read}')`,
      [ZONE],
    );
  });

  async function spawn(token: string, body: Record<string, unknown> = {}): Promise<string> {
    const response = await harness.call({ method: 'POST', url: `/zones/${ZONE}/agents`, token, body });
    expect(response.statusCode, response.body).toBe(201);
    return response.json().agent_session_id as string;
  }
  const delegate = (token: string, body: Record<string, unknown>, headers?: Record<string, string>) =>
    harness.call({ method: 'POST', url: `/zones/${ZONE}/delegations`, token, body, ...(headers === undefined ? {} : { headers }) });
  async function edge(token: string, body: Record<string, unknown>): Promise<string> {
    const response = await delegate(token, body);
    expect(response.statusCode, response.body).toBe(201);
    return response.json().delegation_edge_id as string;
  }

  it('records a cross-application edge, bumps the epoch and enqueues edge_create once', async () => {
    const source = await spawn(tokens.alpha);
    const target = await spawn(tokens.beta);
    const epochBefore = await epoch();
    const response = await delegate(tokens.alpha, {
      source_session_id: source,
      target_session_id: target,
      scopes: ['tools:call'],
      constraints_json: { max_hops: 2, budget: 5 },
      ttl_seconds: 600,
    });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({
      source_session_id: source,
      target_session_id: target,
      issuer_application_id: 'app_alpha',
      receiver_application_id: 'app_beta',
      scopes: ['tools:call'],
      resource_id: null,
      constraints: { max_hops: 2, budget: 5 },
      max_hops: 2,
      budget_remaining: 5,
      status: 'active',
    });
    expect(body.id).toBe(body.delegation_edge_id);
    expect(await epoch()).toBe(epochBefore + 1);
    const events = await outboxEvents(harness.database, { type: 'edge_create', sessionId: body.id });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ topic: 'caracal.delegations.invalidate', payload: { epoch: epochBefore + 1 } });

    const read = await harness.call({ method: 'GET', url: `/zones/${ZONE}/delegations/${body.id}`, token: tokens.beta });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ id: body.id, status: 'active' });
    for (const query of [`source_session_id=${source}`, `target_session_id=${target}`]) {
      const list = await harness.call({ method: 'GET', url: `/zones/${ZONE}/delegations?${query}`, token: tokens.alpha });
      expect(list.json().items.map((item: { id: string }) => item.id)).toEqual([body.id]);
    }
  });

  it('refuses edges the caller may not create, with 4xx codes', async () => {
    const mine = await spawn(tokens.alpha);
    const theirs = await spawn(tokens.beta);
    expect((await delegate(tokens.beta, { source_session_id: mine, target_session_id: theirs, scopes: ['tools:call'] })).statusCode).toBe(403);
    const unknown = 'agentsess_0000000000aaaaaaaaaaaaaaaa';
    expect((await delegate(tokens.alpha, { source_session_id: mine, target_session_id: unknown, scopes: ['tools:call'] })).statusCode).toBe(404);
    const beyond = await delegate(tokens.alpha, { source_session_id: mine, target_session_id: theirs, scopes: ['admin:all'] });
    expect(beyond.statusCode).toBe(403);
    expect(beyond.json().error).toBe('authority_exceeded');
    const otherZone = await harness.mint({ zoneId: 'zone_other', clientId: 'app_alpha' });
    expect((await delegate(otherZone, { source_session_id: mine, target_session_id: theirs, scopes: ['tools:call'] })).statusCode).toBe(403);
    const wrongIssuer = await delegate(tokens.alpha, {
      source_session_id: mine,
      target_session_id: theirs,
      issuer_application_id: 'app_beta',
      scopes: ['tools:call'],
    });
    expect(wrongIssuer.statusCode).toBe(400);
    const disagreeing = await delegate(tokens.alpha, {
      source_session_id: mine,
      target_session_id: theirs,
      scopes: ['tools:call'],
      constraints: { budget: 1 },
      constraints_json: { budget: 2 },
    });
    expect(disagreeing.statusCode).toBe(400);
  });

  it('refuses an edge to or from a session that is not active', async () => {
    const source = await spawn(tokens.alpha);
    const target = await spawn(tokens.beta);
    await harness.call({ method: 'POST', url: `/zones/${ZONE}/agents/${target}/suspend`, token: tokens.beta });
    const response = await delegate(tokens.alpha, { source_session_id: source, target_session_id: target, scopes: ['tools:call'] });
    expect(response.statusCode).toBe(409);
    expect(response.json().error).toBe('session_not_active');
  });

  it('lets a child edge only narrow its parent', async () => {
    const [a, b, c, d] = [await spawn(tokens.alpha), await spawn(tokens.alpha), await spawn(tokens.alpha), await spawn(tokens.alpha)];
    const parent = await edge(tokens.alpha, {
      source_session_id: a,
      target_session_id: b,
      scopes: ['files:read', 'files:write'],
      resource_id: 'https://files.example',
      constraints: { max_hops: 2, budget: 3 },
      ttl_seconds: 600,
    });
    const child = (body: Record<string, unknown>) =>
      delegate(tokens.alpha, { source_session_id: b, target_session_id: c, parent_edge_id: parent, scopes: ['files:read'], ...body });
    expect((await child({ scopes: ['files:read', 'tools:call'] })).json().error).toBe('authority_exceeded');
    expect((await child({ ttl_seconds: 3600 })).json().error).toBe('authority_exceeded');
    expect((await child({ resource_id: 'https://other.example' })).json().error).toBe('authority_exceeded');
    expect((await child({ constraints: { budget: 4 } })).json().error).toBe('authority_exceeded');
    expect((await child({ constraints: { max_hops: 2 } })).json().error).toBe('authority_exceeded');
    const narrowed = await child({});
    expect(narrowed.statusCode).toBe(201);
    expect(narrowed.json()).toMatchObject({
      parent_edge_id: parent,
      scopes: ['files:read'],
      resource_id: 'https://files.example',
      max_hops: 1,
      budget_remaining: 3,
    });
    const exhausted = await delegate(tokens.alpha, {
      source_session_id: c,
      target_session_id: d,
      parent_edge_id: narrowed.json().id,
      scopes: ['files:read'],
    });
    expect(exhausted.statusCode).toBe(403);
    expect(exhausted.json().error).toBe('max_hops_exceeded');
    const notMine = await delegate(tokens.alpha, { source_session_id: c, target_session_id: d, parent_edge_id: parent, scopes: ['files:read'] });
    expect(notMine.statusCode).toBe(400);
  });

  it('refuses cycles of any length, counting only active unexpired edges', async () => {
    const sessions: string[] = [];
    for (let index = 0; index < 40; index += 1) sessions.push(await spawn(tokens.alpha, { labels: { chain: String(index) } }));
    for (let index = 0; index + 1 < sessions.length; index += 1) {
      await edge(tokens.alpha, { source_session_id: sessions[index], target_session_id: sessions[index + 1], scopes: ['tools:call'] });
    }
    for (const from of [1, 20, 39]) {
      const back = await delegate(tokens.alpha, { source_session_id: sessions[from], target_session_id: sessions[0], scopes: ['tools:call'] });
      expect(back.statusCode).toBe(409);
      expect(back.json().error).toBe('cycle_detected');
    }
    const self = await delegate(tokens.alpha, { source_session_id: sessions[3], target_session_id: sessions[3], scopes: ['tools:call'] });
    expect(self.json().error).toBe('cycle_detected');
    // A parallel branch that does not lead back is fine.
    expect((await delegate(tokens.alpha, { source_session_id: sessions[0], target_session_id: sessions[39], scopes: ['tools:call'] })).statusCode).toBe(201);

    const [x, y] = [await spawn(tokens.alpha), await spawn(tokens.alpha)];
    await edge(tokens.alpha, { source_session_id: x, target_session_id: y, scopes: ['tools:call'], ttl_seconds: 60 });
    expect((await delegate(tokens.alpha, { source_session_id: y, target_session_id: x, scopes: ['tools:call'] })).statusCode).toBe(409);
    harness.clock.advance(61_000);
    expect((await delegate(tokens.alpha, { source_session_id: y, target_session_id: x, scopes: ['tools:call'] })).statusCode).toBe(201);
  });

  it('traverses a chain root to leaf', async () => {
    const [a, b, c] = [await spawn(tokens.alpha), await spawn(tokens.alpha), await spawn(tokens.alpha)];
    const first = await edge(tokens.alpha, { source_session_id: a, target_session_id: b, scopes: ['tools:call'] });
    const second = await edge(tokens.alpha, { source_session_id: b, target_session_id: c, parent_edge_id: first, scopes: ['tools:call'] });
    for (const id of [first, second]) {
      const response = await harness.call({ method: 'GET', url: `/zones/${ZONE}/delegations/${id}/traverse`, token: tokens.alpha });
      expect(response.statusCode).toBe(200);
      expect(response.json().items).toEqual([
        { depth: 0, id: first, source_session_id: a, target_session_id: b, status: 'active' },
        { depth: 1, id: second, source_session_id: b, target_session_id: c, status: 'active' },
      ]);
    }
  });

  it('revokes downstream edges, terminates affected subtrees and publishes one revocation per session', async () => {
    const [a, b, c] = [await spawn(tokens.alpha), await spawn(tokens.alpha), await spawn(tokens.alpha)];
    const first = await edge(tokens.alpha, { source_session_id: a, target_session_id: b, scopes: ['tools:call'] });
    const second = await edge(tokens.alpha, { source_session_id: b, target_session_id: c, parent_edge_id: first, scopes: ['tools:call'] });
    const grandchild = await spawn(tokens.alpha, { parent_id: c });
    const response = await harness.call({ method: 'POST', url: `/zones/${ZONE}/delegations/${first}/revoke`, token: tokens.alpha });
    expect(response.statusCode).toBe(200);
    // first, second and the spawn edge c → grandchild; sessions b, c and grandchild.
    expect(response.json()).toEqual({ revoked_edges: 3, affected_sessions: 3 });
    for (const id of [b, c, grandchild]) {
      const session = await harness.call({ method: 'GET', url: `/zones/${ZONE}/agents/${id}`, token: tokens.alpha });
      expect(session.json()).toMatchObject({ status: 'terminated', termination_reason: 'delegation_revoked' });
      expect(await outboxEvents(harness.database, { type: 'session_revoked', sessionId: id })).toHaveLength(1);
    }
    expect((await harness.call({ method: 'GET', url: `/zones/${ZONE}/agents/${a}`, token: tokens.alpha })).json().status).toBe('active');
    expect((await harness.call({ method: 'GET', url: `/zones/${ZONE}/delegations/${second}`, token: tokens.alpha })).json().status).toBe('revoked');
    expect(await outboxEvents(harness.database, { type: 'edge_revoke', sessionId: second })).toHaveLength(1);
    const again = await harness.call({ method: 'POST', url: `/zones/${ZONE}/delegations/${first}/revoke`, token: tokens.alpha });
    expect(again.json()).toEqual({ revoked_edges: 0, affected_sessions: 0 });
    expect((await harness.call({ method: 'POST', url: `/zones/${ZONE}/delegations/${first}/revoke`, token: tokens.beta })).statusCode).toBe(403);
  });

  it('checks scopes against what the resource accepts when the STS knows the resource', async () => {
    const [a, b] = [await spawn(tokens.alpha), await spawn(tokens.beta)];
    const base = { source_session_id: a, target_session_id: b };
    expect((await delegate(tokens.alpha, { ...base, scopes: ['tools:call'], resource_id: 'mcp://tools.local' })).statusCode).toBe(201);
    const refused = await delegate(tokens.alpha, { ...base, scopes: ['files:read'], resource_id: 'mcp://tools.local' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toBe('invalid_scope');
    expect((await delegate(tokens.alpha, { ...base, scopes: ['tools:call'], resource_id: 'mcp://unknown' })).statusCode).toBe(400);
  });

  it('takes a scope of the longest allowed length in a grant and an edge, and refuses one character more', async () => {
    const longest = `tools:${'x'.repeat(SCOPE_MAX_LENGTH - 'tools:'.length)}`;
    const holder = await harness.mint({ zoneId: ZONE, clientId: 'app_alpha', scopes: ['agent:lifecycle', longest] });
    const root = await spawn(holder, { grant: { mode: 'narrow', scopes: [longest] } });
    const target = await spawn(tokens.beta);
    const created = await delegate(holder, { source_session_id: root, target_session_id: target, scopes: [longest] });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().scopes).toEqual([longest]);
    const exchanged = await harness.call({
      method: 'POST',
      url: '/v1/exchange',
      token: holder,
      body: { source_session_id: root, target_session_id: await spawn(tokens.beta), scopes: [longest] },
    });
    expect(exchanged.statusCode, exchanged.body).toBe(201);
    const tooLong = await delegate(holder, { source_session_id: root, target_session_id: target, scopes: [`${longest}x`] });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error).toBe('invalid_request');
  });

  it('answers every field of an edge on a create, a read and a list', async () => {
    const [a, b] = [await spawn(tokens.alpha), await spawn(tokens.beta)];
    const created = (await delegate(tokens.alpha, { source_session_id: a, target_session_id: b, scopes: ['tools:call'] })).json();
    const fields = ['budget_remaining', 'constraints', 'created_at', 'edge_version', 'expires_at', 'id', 'issuer_application_id',
      'max_hops', 'origin', 'parent_edge_id', 'receiver_application_id', 'resource_id', 'revoked_at', 'scopes', 'source_session_id',
      'status', 'target_session_id', 'zone_id'].sort();
    expect(Object.keys(created).sort()).toEqual(['delegation_edge_id', ...fields].sort());
    const read = await harness.call({ method: 'GET', url: `/zones/${ZONE}/delegations/${created.id}`, token: tokens.alpha });
    expect(read.json()).toEqual(Object.fromEntries(Object.entries(created).filter(([key]) => key !== 'delegation_edge_id')));
    const list = await harness.call({ method: 'GET', url: `/zones/${ZONE}/delegations?source_session_id=${a}`, token: tokens.alpha });
    expect(Object.keys(list.json().items[0]).sort()).toEqual(fields);
  });

  it('takes a resource only as an absolute URI of at most 512 characters', async () => {
    const [a, b] = [await spawn(tokens.alpha), await spawn(tokens.beta)];
    const base = { source_session_id: a, target_session_id: b, scopes: ['tools:call'] };
    for (const resource of ['tools.local', 'mcp://tools.local#part', `mcp://${'t'.repeat(RESOURCE_MAX_LENGTH)}`]) {
      const refused = await delegate(tokens.alpha, { ...base, resource_id: resource });
      expect(refused.statusCode, resource).toBe(400);
      expect(refused.json().error).toBe('invalid_request');
    }
  });

  it('replays a create with the same Idempotency-Key and refuses a reused key', async () => {
    const [a, b] = [await spawn(tokens.alpha), await spawn(tokens.beta)];
    const body = { source_session_id: a, target_session_id: b, scopes: ['tools:call'] };
    const first = await delegate(tokens.alpha, body, { 'idempotency-key': 'edge-once' });
    const second = await delegate(tokens.alpha, body, { 'idempotency-key': 'edge-once' });
    expect(second.statusCode).toBe(201);
    expect(second.json()).toEqual(first.json());
    const reused = await delegate(tokens.alpha, { ...body, scopes: ['files:read'] }, { 'idempotency-key': 'edge-once' });
    expect(reused.statusCode).toBe(409);
    expect(reused.json().error).toBe('idempotency_key_reused');
    const list = await harness.call({ method: 'GET', url: `/zones/${ZONE}/delegations?source_session_id=${a}`, token: tokens.alpha });
    expect(list.json().items).toHaveLength(1);
  });

  async function epoch(): Promise<number> {
    const result = await harness.database.query<{ epoch: string }>('SELECT epoch::text FROM delegation_graph_epochs WHERE zone_id = $1', [ZONE]);
    return Number(result.rows[0]?.epoch ?? 0);
  }
});

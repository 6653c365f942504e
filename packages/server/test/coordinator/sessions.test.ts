import { describe, expect, it } from 'vitest';
import { testBackends } from '../helpers/backends.ts';
import { outboxEvents, useHarness } from './coordinator-harness.ts';

const ZONE = 'zone_sessions';

describe.each(testBackends())('agent sessions on $name', (backend) => {
  const { harness, tokens } = useHarness(backend, { zoneId: ZONE, seats: 500, tokens: {
    token: { clientId: 'app_one', scopes: ['agent:lifecycle', 'tools:call', 'files:read'] },
    other: { clientId: 'app_two', scopes: ['agent:lifecycle', 'tools:call'] },
    admin: { clientId: 'app_ops', scopes: ['agent:lifecycle', 'caracal:admin'] },
  } });

  const spawnResponse = (body: Record<string, unknown> = {}, bearer = tokens.token, headers?: Record<string, string>) =>
    harness.call({ method: 'POST', url: `/zones/${ZONE}/agents`, token: bearer, body, ...(headers === undefined ? {} : { headers }) });
  async function spawn(body: Record<string, unknown> = {}, bearer = tokens.token): Promise<Record<string, unknown> & { agent_session_id: string }> {
    const response = await spawnResponse(body, bearer);
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  }
  const get = (id: string, bearer = tokens.token) => harness.call({ method: 'GET', url: `/zones/${ZONE}/agents/${id}`, token: bearer });
  const act = (id: string, action: 'suspend' | 'resume', bearer = tokens.token) =>
    harness.call({ method: 'POST', url: `/zones/${ZONE}/agents/${id}/${action}`, token: bearer });
  const terminate = (id: string, bearer = tokens.token) => harness.call({ method: 'DELETE', url: `/zones/${ZONE}/agents/${id}`, token: bearer });

  it('spawns a root session and answers 201 with the documented fields, once in the outbox', async () => {
    const response = await spawnResponse({ kind: 'ephemeral', labels: { team: 'a' }, ttl_seconds: 120, capabilities: ['search'] });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({
      zone_id: ZONE,
      application_id: 'app_one',
      parent_id: null,
      kind: 'ephemeral',
      status: 'active',
      depth: 0,
      delegation_edge_id: null,
      scopes: null,
    });
    expect(Date.parse(body.expires_at) - Date.parse(body.spawned_at)).toBe(120_000);
    expect(body.agent_session_id).toMatch(/^agentsess_[0-9a-z]{26}$/);
    const events = await outboxEvents(harness.database, { type: 'session_spawned', sessionId: body.agent_session_id });
    expect(events).toEqual([{ topic: 'caracal.agents.lifecycle', payload: expect.objectContaining({ depth: 0 }) }]);
    const read = await get(body.agent_session_id);
    expect(read.json()).toMatchObject({
      id: body.agent_session_id,
      application_id: 'app_one',
      parent_id: null,
      status: 'active',
      depth: 0,
      kind: 'ephemeral',
      labels: { team: 'a' },
      capabilities: ['search'],
      terminated_at: null,
    });
  });

  it('answers every field of a session on a spawn, a read and a list', async () => {
    const spawned = await spawn({ labels: { fields: 'all' } });
    expect(Object.keys(spawned).sort()).toEqual(
      ['agent_session_id', 'application_id', 'delegation_edge_id', 'depth', 'expires_at', 'kind', 'parent_id', 'resource_id', 'root_id',
        'scopes', 'spawned_at', 'status', 'zone_id'].sort(),
    );
    const fields = ['application_id', 'capabilities', 'constraints', 'delegation_edge_id', 'depth', 'expires_at', 'id', 'kind', 'labels',
      'live_children', 'metadata', 'parent_id', 'resource_id', 'root_id', 'scopes', 'spawned_at', 'status', 'suspended_at',
      'terminated_at', 'termination_reason', 'zone_id'].sort();
    expect(Object.keys((await get(spawned.agent_session_id)).json()).sort()).toEqual(fields);
    const list = await harness.call({ method: 'GET', url: `/zones/${ZONE}/agents?limit=1`, token: tokens.token });
    expect(Object.keys(list.json()).sort()).toEqual(['items', 'next_cursor']);
    expect(Object.keys(list.json().items[0]).sort()).toEqual(fields);
  });

  it('refuses labels with a key that is too long or a value that is not text, whatever the key', async () => {
    for (const labels of [{ ['k'.repeat(129)]: 'v' }, { 'a\nb': 5 }, { team: 5 }]) {
      const refused = await spawnResponse({ labels });
      expect(refused.statusCode, JSON.stringify(labels)).toBe(400);
      expect(refused.json().error).toBe('invalid_request');
    }
    expect((await spawnResponse({ labels: { ['k'.repeat(128)]: 'v'.repeat(512) } })).statusCode).toBe(201);
  });

  it('applies the grant modes for root sessions', async () => {
    expect((await spawn({ grant: 'none' })).scopes).toEqual([]);
    expect((await spawn({ grant: { mode: 'narrow', scopes: ['tools:call'], resource_id: 'mcp://x' } })).scopes).toEqual(['tools:call']);
    const beyond = await spawnResponse({ grant: { mode: 'narrow', scopes: ['files:write'] } });
    expect(beyond.statusCode).toBe(403);
    expect(beyond.json().error).toBe('authority_exceeded');
    expect((await spawnResponse({ grant: { mode: 'narrow' } })).statusCode).toBe(400);
    expect((await spawnResponse({ grant: { mode: 'inherit', scopes: ['tools:call'] } })).statusCode).toBe(400);
  });

  it('gives a child an edge carrying its parent authority, narrowed on request', async () => {
    const root = await spawn();
    const inherited = await spawn({ parent_id: root.agent_session_id });
    expect(inherited).toMatchObject({ depth: 1, parent_id: root.agent_session_id, root_id: root.agent_session_id });
    const edge = await harness.call({ method: 'GET', url: `/zones/${ZONE}/delegations/${inherited.delegation_edge_id}`, token: tokens.token });
    expect(edge.json()).toMatchObject({
      source_session_id: root.agent_session_id,
      target_session_id: inherited.agent_session_id,
      scopes: ['tools:call', 'files:read'],
      origin: 'spawn',
      status: 'active',
    });
    expect(await outboxEvents(harness.database, { type: 'edge_create', sessionId: inherited.delegation_edge_id as string })).toHaveLength(1);

    const narrowed = await spawn({ parent_id: inherited.agent_session_id, grant: { mode: 'narrow', scopes: ['tools:call'] } });
    const narrowedEdge = await harness.call({ method: 'GET', url: `/zones/${ZONE}/delegations/${narrowed.delegation_edge_id}`, token: tokens.token });
    expect(narrowedEdge.json()).toMatchObject({ scopes: ['tools:call'], parent_edge_id: inherited.delegation_edge_id });
    const beyond = await spawnResponse({ parent_id: narrowed.agent_session_id, grant: { mode: 'narrow', scopes: ['files:read'] } });
    expect(beyond.statusCode).toBe(403);
    const none = await spawn({ parent_id: root.agent_session_id, grant: 'none' });
    expect(none).toMatchObject({ delegation_edge_id: null, scopes: [] });
  });

  it('reads, lists with filters and cursor pagination, and lists children', async () => {
    const root = await spawn({ labels: { list: 'yes' } });
    const children = [];
    for (let index = 0; index < 5; index += 1) children.push((await spawn({ parent_id: root.agent_session_id })).agent_session_id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `parent_id=${root.agent_session_id}&limit=2${cursor === null ? '' : `&cursor=${cursor}`}`;
      const page = await harness.call({ method: 'GET', url: `/zones/${ZONE}/agents?${query}`, token: tokens.token });
      expect(page.statusCode).toBe(200);
      const body = page.json();
      expect(body.items.length).toBeLessThanOrEqual(2);
      seen.push(...body.items.map((item: { id: string }) => item.id));
      cursor = body.next_cursor;
    } while (cursor !== null);
    expect(seen).toEqual(children);
    const viaChildren = await harness.call({ method: 'GET', url: `/zones/${ZONE}/agents/${root.agent_session_id}/children?limit=500`, token: tokens.token });
    expect(viaChildren.json().items.map((item: { id: string }) => item.id)).toEqual(children);
    expect(viaChildren.json().next_cursor).toBeNull();
    const active = await harness.call({ method: 'GET', url: `/zones/${ZONE}/agents?status=active&application_id=app_one&limit=1`, token: tokens.token });
    expect(active.json().items[0].status).toBe('active');
    expect(active.json().next_cursor).not.toBeNull();
  });

  it('keeps applications apart; admins act on any session of their zone', async () => {
    const mine = await spawn();
    expect((await get(mine.agent_session_id, tokens.other)).statusCode).toBe(403);
    expect((await terminate(mine.agent_session_id, tokens.other)).statusCode).toBe(403);
    expect((await spawnResponse({ parent_id: mine.agent_session_id }, tokens.other)).statusCode).toBe(403);
    expect((await spawnResponse({ application_id: 'app_one' }, tokens.other)).statusCode).toBe(403);
    expect((await harness.call({ method: 'GET', url: `/zones/${ZONE}/agents?application_id=app_one`, token: tokens.other })).statusCode).toBe(403);
    const theirList = await harness.call({ method: 'GET', url: `/zones/${ZONE}/agents?limit=500`, token: tokens.other });
    expect(theirList.json().items.every((item: { application_id: string }) => item.application_id === 'app_two')).toBe(true);
    expect((await get(mine.agent_session_id, tokens.admin)).statusCode).toBe(200);
    const forOne = await spawnResponse({ application_id: 'app_one' }, tokens.admin);
    expect(forOne.json().application_id).toBe('app_one');
    expect((await act(mine.agent_session_id, 'suspend', tokens.admin)).json()).toEqual({ suspended: 1 });
    const elsewhere = await harness.mint({ zoneId: 'zone_elsewhere', clientId: 'app_one' });
    expect((await get(mine.agent_session_id, elsewhere)).statusCode).toBe(403);
    expect((await harness.call({ method: 'GET', url: `/zones/zone_elsewhere/agents/${mine.agent_session_id}`, token: elsewhere })).statusCode).toBe(404);
    expect((await get('agentsess_0000000000aaaaaaaaaaaaaaaa')).statusCode).toBe(404);
    expect((await get('not-an-id')).statusCode).toBe(400);
    expect((await harness.call({ method: 'GET', url: `/zones/${ZONE}/agents` })).statusCode).toBe(401);
    const lifecycleless = await harness.mint({ zoneId: ZONE, clientId: 'app_one', scopes: ['tools:call'] });
    expect((await get(mine.agent_session_id, lifecycleless)).statusCode).toBe(403);
  });

  it('suspends and resumes whole subtrees, and refuses work under a suspended parent', async () => {
    const root = await spawn();
    const child = await spawn({ parent_id: root.agent_session_id });
    const grandchild = await spawn({ parent_id: child.agent_session_id });
    expect((await act(root.agent_session_id, 'suspend')).json()).toEqual({ suspended: 3 });
    expect((await get(grandchild.agent_session_id)).json().status).toBe('suspended');
    const under = await spawnResponse({ parent_id: child.agent_session_id });
    expect(under.statusCode).toBe(409);
    expect(under.json().error).toBe('session_not_active');
    const early = await act(child.agent_session_id, 'resume');
    expect(early.statusCode).toBe(409);
    expect((await act(root.agent_session_id, 'suspend')).json()).toEqual({ suspended: 0 });
    expect((await act(root.agent_session_id, 'resume')).json()).toEqual({ resumed: 3 });
    expect(await outboxEvents(harness.database, { type: 'session_suspended', sessionId: grandchild.agent_session_id })).toHaveLength(1);
    expect(await outboxEvents(harness.database, { type: 'session_resumed', sessionId: grandchild.agent_session_id })).toHaveLength(1);
  });

  it('terminates a subtree irreversibly, revoking its edges with one revocation per session', async () => {
    const root = await spawn();
    const child = await spawn({ parent_id: root.agent_session_id });
    const grandchild = await spawn({ parent_id: child.agent_session_id });
    const sibling = await spawn({ parent_id: root.agent_session_id, grant: 'none' });
    const outsider = await spawn({}, tokens.other);
    const delegated = await harness.call({
      method: 'POST',
      url: `/zones/${ZONE}/delegations`,
      token: tokens.token,
      body: { source_session_id: grandchild.agent_session_id, target_session_id: outsider.agent_session_id, scopes: ['tools:call'] },
    });
    expect(delegated.statusCode).toBe(201);
    const response = await terminate(child.agent_session_id);
    // child + grandchild; edges root→child, child→grandchild and grandchild→outsider.
    expect(response.json()).toEqual({ terminated_sessions: 2, revoked_edges: 3 });
    for (const id of [child.agent_session_id, grandchild.agent_session_id]) {
      const session = (await get(id)).json();
      expect(session).toMatchObject({ status: 'terminated', termination_reason: 'terminated' });
      expect(session.terminated_at).not.toBeNull();
      expect(await outboxEvents(harness.database, { type: 'session_revoked', sessionId: id })).toEqual([
        { topic: 'caracal.sessions.revoke', payload: expect.objectContaining({ agent_session_id: id }) },
      ]);
      expect(await outboxEvents(harness.database, { type: 'session_terminated', sessionId: id })).toHaveLength(1);
    }
    expect((await get(root.agent_session_id)).json()).toMatchObject({ status: 'active', live_children: 1 });
    expect((await get(sibling.agent_session_id)).json().status).toBe('active');
    expect((await get(outsider.agent_session_id, tokens.other)).json().status).toBe('active');
    expect((await terminate(child.agent_session_id)).json()).toEqual({ terminated_sessions: 0, revoked_edges: 0 });
    expect((await act(child.agent_session_id, 'resume')).statusCode).toBe(409);
    expect((await spawnResponse({ parent_id: child.agent_session_id })).json().error).toBe('session_not_active');
    // root and the sibling, which holds no edge (grant none).
    expect((await terminate(root.agent_session_id)).json()).toEqual({ terminated_sessions: 2, revoked_edges: 0 });
  });

  it('replays a spawn with the same Idempotency-Key, refuses a reused key, and lets racing retries create one session', async () => {
    const headers = { 'idempotency-key': 'spawn-once' };
    const first = await spawnResponse({ labels: { try: '1' } }, tokens.token, headers);
    const again = await spawnResponse({ labels: { try: '1' } }, tokens.token, headers);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    const reused = await spawnResponse({ labels: { try: '2' } }, tokens.token, headers);
    expect(reused.statusCode).toBe(409);
    expect(reused.json().error).toBe('idempotency_key_reused');
    expect((await spawnResponse({}, tokens.token, { 'idempotency-key': 'bad key' })).statusCode).toBe(400);

    const racing = await Promise.all(
      Array.from({ length: 8 }, () => spawnResponse({ labels: { race: 'yes' } }, tokens.token, { 'idempotency-key': 'spawn-race' })),
    );
    expect(new Set(racing.map((response) => response.statusCode))).toEqual(new Set([201]));
    expect(new Set(racing.map((response) => response.json().agent_session_id)).size).toBe(1);
    const count = await harness.database.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM agent_sessions WHERE labels->>'race' = 'yes'`,
    );
    expect(count.rows[0]!.count).toBe(1);
  });
});

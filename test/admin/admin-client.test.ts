import { CaracalAdminError, collect, createAdminClient, type AdminClient } from '@caracal/sdk/admin';
import { startServer, type RunningServer } from '@caracal/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchema, testBackends } from '../../packages/server/test/helpers/backends.ts';

const ZONE = 'zone_admin_client';
const SECRET = 'admin-client-application-secret';
const APPS = ['app_admin_one', 'app_admin_two'] as const;

/** `@caracal/sdk/admin` against the real server on port 0, on each backend. */
describe.each(testBackends())('the admin client on $name', (backend) => {
  let server: RunningServer;
  let schema: string | undefined;
  let operator: string;
  let one: string;
  let two: string;
  let admin: AdminClient;

  const post = async (path: string, token: string, body: unknown) => {
    const response = await fetch(server.url + path, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(response.ok, await response.clone().text()).toBe(true);
    return (await response.json()) as Record<string, string>;
  };
  const grant = async (clientId: string) => {
    const response = await fetch(`${server.url}/oauth/2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: SECRET, scope: 'tools:call' }).toString(),
    });
    return ((await response.json()) as { access_token: string }).access_token;
  };

  beforeAll(async () => {
    schema = backend.databaseUrl === undefined ? undefined : backend.schema();
    const adminToken = `admin-${Math.random().toString(36).slice(2)}`;
    server = await startServer({
      port: 0,
      adminToken,
      logger: false,
      jobs: false,
      ...(backend.databaseUrl === undefined
        ? {}
        : { databaseUrl: backend.databaseUrl, databaseSchema: schema, keyEncryptionSecret: 'admin-client-test', eventSigningSecret: 'admin-client-test' }),
      ...(backend.redisUrl === undefined ? {} : { redisUrl: backend.redisUrl, redisKeyPrefix: `${schema}:` }),
      bootstrap: {
        zones: [{ id: ZONE, applications: APPS.map((id) => ({ id, secret: SECRET, scopes: ['tools:call'] })), resources: [{ id: 'mcp://tools.admin', scopes: ['tools:call'] }] }],
      },
    });
    operator = (await post(`/admin/zones/${ZONE}/operator-token`, adminToken, {})).access_token!;
    one = await grant(APPS[0]);
    two = await grant(APPS[1]);
    admin = createAdminClient({ baseUrl: server.url, token: operator });
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    if (schema !== undefined) await dropSchema(schema);
  });

  it('reads the zone from the operator mandate, and takes a token function', async () => {
    expect(admin.zoneId).toBe(ZONE);
    let calls = 0;
    const lazy = createAdminClient({ baseUrl: `${server.url}/`, token: async () => ((calls += 1), operator) });
    expect(() => lazy.zoneId).toThrow(CaracalAdminError);
    const root = await createAdminClient({ baseUrl: server.url, token: one }).sessions.spawn();
    expect((await lazy.sessions.get(root.agent_session_id)).id).toBe(root.agent_session_id);
    expect(lazy.zoneId).toBe(ZONE);
    expect(calls).toBeGreaterThanOrEqual(1);
  });

  it('lists sessions over every page, reads children and trees, and answers dry runs before acting', async () => {
    const client = createAdminClient({ baseUrl: server.url, token: one });
    const root = (await client.sessions.spawn()).agent_session_id;
    const children: string[] = [];
    for (let index = 0; index < 3; index += 1) children.push((await client.sessions.spawn({ parent_id: root })).agent_session_id);
    const grandchild = (await client.sessions.spawn({ parent_id: children[0] })).agent_session_id;

    const listed = await collect(admin.sessions.list({ parentId: root, limit: 2 }));
    expect(listed.map((session) => session.id).sort()).toEqual([...children].sort());
    const first = await admin.sessions.page({ parentId: root, limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    expect((await collect(admin.sessions.children(root, { limit: 1 }))).map((session) => session.id).sort()).toEqual([...children].sort());

    const shallow = await admin.sessions.tree(root, { depth: 1 });
    expect(shallow.session.id).toBe(root);
    expect(shallow.children.map((child) => child.children.length)).toEqual([0, 0, 0]);
    const deep = await admin.sessions.tree(root);
    expect(deep.children.find((child) => child.session.id === children[0])?.children.map((child) => child.session.id)).toEqual([grandchild]);

    const suspendImpact = await admin.sessions.suspend(root, { dryRun: true });
    expect(suspendImpact).toMatchObject({ dry_run: true, suspended: 5 });
    expect((await admin.sessions.get(root)).status).toBe('active');
    expect(await admin.sessions.suspend(root)).toEqual({ suspended: 5 });
    expect(await admin.sessions.resume(root, { dryRun: true })).toEqual({ dry_run: true, resumed: 5, session_ids: suspendImpact.session_ids });
    expect(await admin.sessions.resume(root)).toEqual({ resumed: 5 });

    const impact = await admin.sessions.terminate(children[0]!, { dryRun: true });
    expect(impact).toMatchObject({ dry_run: true, terminated_sessions: 2, session_ids: [children[0], grandchild].sort() });
    const done = await admin.sessions.terminate(children[0]!);
    expect(done).toEqual({ terminated_sessions: 2, revoked_edges: impact.revoked_edges });
    expect((await collect(admin.sessions.list({ parentId: root, status: 'terminated' }))).map((session) => session.id)).toEqual([children[0]]);
  });

  it('reads delegations in and out of a session, traverses and revokes one with a dry run first', async () => {
    const clientOne = createAdminClient({ baseUrl: server.url, token: one });
    const source = (await clientOne.sessions.spawn()).agent_session_id;
    const target = (await createAdminClient({ baseUrl: server.url, token: two }).sessions.spawn()).agent_session_id;
    const edge = await clientOne.delegations.create({ source_session_id: source, target_session_id: target, scopes: ['tools:call'] });

    expect((await collect(admin.delegations.outbound(source))).map((row) => row.id)).toEqual([edge.id]);
    expect((await collect(admin.delegations.inbound(target))).map((row) => row.id)).toEqual([edge.id]);
    expect((await collect(admin.delegations.list({ status: 'active', limit: 1 }))).map((row) => row.id)).toContain(edge.id);
    expect(await admin.delegations.get(edge.id)).toMatchObject({ id: edge.id, status: 'active', issuer_application_id: APPS[0] });
    expect((await admin.delegations.traverse(edge.id)).map((link) => link.id)).toContain(edge.id);

    const impact = await admin.delegations.revoke(edge.id, { dryRun: true });
    expect(impact).toMatchObject({ dry_run: true, revoked_edges: 1, affected_sessions: 1, edge_ids: [edge.id], session_ids: [target] });
    expect((await admin.delegations.get(edge.id)).status).toBe('active');
    expect(await admin.delegations.revoke(edge.id)).toEqual({ revoked_edges: 1, affected_sessions: 1 });
    expect((await admin.delegations.get(edge.id)).status).toBe('revoked');
  });

  it('starts, reads and stops runs; lists runners; writes blueprints; reads a timeline', async () => {
    const blueprint = await admin.blueprints.create({ name: 'admin-client-bp', description: 'first', tags: ['admin'] });
    expect(blueprint).toMatchObject({ name: 'admin-client-bp', status: 'active' });
    expect((await admin.blueprints.list({ tags: ['admin'] })).agents.map((agent) => agent.name)).toEqual(['admin-client-bp']);
    expect((await admin.blueprints.update('admin-client-bp', { description: 'second' })).description).toBe('second');
    expect((await admin.blueprints.setStatus('admin-client-bp', 'inactive')).status).toBe('inactive');
    expect((await admin.blueprints.get('admin-client-bp')).status).toBe('inactive');
    await admin.blueprints.remove('admin-client-bp');
    await expect(admin.blueprints.get('admin-client-bp')).rejects.toMatchObject({ status: 404, code: 'not_found' });

    const client = createAdminClient({ baseUrl: server.url, token: one });
    const created = await client.runs.create({ type: 'start_session', parameters: { prompt: 'hello' } });
    expect((await client.runs.get(created.run_id)).status).toBe('pending');
    expect((await collect(client.runs.list({ sessionId: created.session_id }))).map((run) => run.run_id)).toEqual([created.run_id]);
    expect((await client.runs.stop(created.run_id)).status).toMatch(/^(stopped|stopping)$/);
    expect(await admin.runners.list()).toEqual([]);

    const events = await collect(admin.timeline.events(created.session_id, { eventType: ['session_spawned', 'session_terminated'] }));
    expect(events.map((event) => event.event_type)).toContain('session_spawned');
  });

  it('fails with CaracalAdminError carrying the wire code, or network when nothing answers', async () => {
    const missing = await admin.sessions.get('agentsess_0000000000aaaaaaaaaaaaaaaa').catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(CaracalAdminError);
    expect(missing).toMatchObject({ status: 404, code: 'not_found', description: expect.stringContaining('not found') });
    const stranger = await createAdminClient({ baseUrl: server.url, token: two }).sessions.terminate((await createAdminClient({ baseUrl: server.url, token: one }).sessions.spawn()).agent_session_id, { dryRun: true }).catch((error: unknown) => error);
    expect(stranger).toMatchObject({ status: 403, code: 'forbidden' });
    const badToken = await createAdminClient({ baseUrl: server.url, token: 'x.e30.y', zoneId: ZONE }).sessions.page().catch((error: unknown) => error);
    expect(badToken).toMatchObject({ status: 401, code: 'invalid_token' });
    const unreachable = await createAdminClient({ baseUrl: 'http://127.0.0.1:9', token: operator }).sessions.page().catch((error: unknown) => error);
    expect(unreachable).toMatchObject({ status: 0, code: 'network' });
  });
});

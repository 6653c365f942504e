import { describe, expect, it } from 'vitest';
import { testBackends } from '../../helpers/backends.ts';
import { injectExchange } from '../../helpers/sts-fixtures.ts';
import { FILES_RESOURCE, TOOLS_RESOURCE, WIDE_RESOURCE, useBlueprintSuite } from './blueprint-fixture.ts';

/** A spawn from a blueprint is narrowed to the blueprint's authority and records its name. */
describe.each(testBackends())('spawning from a blueprint on $name', (backend) => {
  const suite = useBlueprintSuite(backend);
  const operator = (method: string, url: string, body?: unknown) => suite.call({ method, url, token: suite.tokens.operator, body });
  const spawn = (body: unknown, token = suite.tokens.reader) => suite.call({ method: 'POST', url: `/zones/${suite.zoneId}/agents`, token, body });
  const agentName = async (id: string) =>
    (await suite.sts.context.database.query<{ agent_name: string | null }>('SELECT agent_name FROM agent_sessions WHERE id = $1', [id])).rows[0]?.agent_name;
  const exchange = (sessionId: string, resource: string, scope: string, token = suite.tokens.reader) =>
    injectExchange(suite.sts.app, token, { resource, scope, agent_session_id: sessionId });

  it('narrows the session to the blueprint\'s resource and scopes, and records the blueprint', async () => {
    await operator('POST', '/agents', {
      name: 'caller',
      authority: { resources: [{ resource_id: TOOLS_RESOURCE, scopes: ['tools:call'] }], constraints: { budget: 5 } },
    });
    const spawned = await spawn({ blueprint: 'caller' });
    expect(spawned.statusCode).toBe(201);
    expect(spawned.json()).toMatchObject({ scopes: ['tools:call'], resource_id: TOOLS_RESOURCE });
    const id = spawned.json().agent_session_id as string;
    expect(await agentName(id)).toBe('caller');
    expect((await exchange(id, TOOLS_RESOURCE, 'tools:call')).status).toBe(200);
    expect((await exchange(id, TOOLS_RESOURCE, 'tools:read')).status).toBeGreaterThanOrEqual(400);
    expect((await exchange(id, FILES_RESOURCE, 'files:read', suite.tokens.operator)).status).toBeGreaterThanOrEqual(400);

    const seedName = await spawn({ agent_name: 'caller' });
    expect(seedName.statusCode).toBe(201);
    expect(await agentName(seedName.json().agent_session_id as string)).toBe('caller');
    // A spawn without a blueprint records none.
    expect(await agentName((await spawn({})).json().agent_session_id as string)).toBeNull();
  });

  it('never hands more than the blueprint allows, whatever the spawn asks', async () => {
    await operator('POST', '/agents', {
      name: 'two-resources',
      authority: { resources: [{ resource_id: TOOLS_RESOURCE, scopes: ['tools:read'] }, { resource_id: FILES_RESOURCE, scopes: ['files:read'] }] },
    });
    const outside = await spawn({ blueprint: 'two-resources', grant: { mode: 'narrow', scopes: ['tools:call'] } });
    expect(outside.statusCode).toBe(403);
    expect(outside.json().error).toBe('authority_exceeded');
    const elsewhere = await spawn({ blueprint: 'two-resources', grant: { mode: 'narrow', scopes: ['tools:read'], resource_id: 'mcp://other.test' } });
    expect(elsewhere.statusCode).toBe(403);
    const picked = await spawn({ blueprint: 'two-resources', grant: { mode: 'narrow', scopes: ['files:read'], resource_id: FILES_RESOURCE } }, suite.tokens.operator);
    expect(picked.statusCode).toBe(201);
    expect(picked.json()).toMatchObject({ scopes: ['files:read'], resource_id: FILES_RESOURCE });
    // The reader's application holds no files:read: narrowing keeps what it holds, tools:read.
    const held = await spawn({ blueprint: 'two-resources' });
    expect(held.json()).toMatchObject({ scopes: ['tools:read'] });
    const none = await spawn({ blueprint: 'two-resources', grant: 'none' });
    expect(none.json().scopes).toEqual([]);
  });

  it('holds a session of a blueprint with several resources to the scopes listed for each, and its children too', async () => {
    await operator('POST', '/agents', {
      name: 'per-resource',
      authority: { resources: [{ resource_id: TOOLS_RESOURCE, scopes: ['tools:read'] }, { resource_id: WIDE_RESOURCE, scopes: ['tools:call'] }] },
    });
    const spawned = await spawn({ blueprint: 'per-resource' });
    expect(spawned.statusCode).toBe(201);
    expect([...(spawned.json().scopes as string[])].sort()).toEqual(['tools:call', 'tools:read']);
    const id = spawned.json().agent_session_id as string;
    expect((await exchange(id, TOOLS_RESOURCE, 'tools:read')).status).toBe(200);
    expect((await exchange(id, WIDE_RESOURCE, 'tools:call')).status).toBe(200);
    // Each scope only where the blueprint lists it, and nothing on a resource it does not list.
    expect((await exchange(id, TOOLS_RESOURCE, 'tools:call')).status).toBe(400);
    expect((await exchange(id, WIDE_RESOURCE, 'tools:read')).status).toBe(400);
    expect((await exchange(id, FILES_RESOURCE, 'files:read', suite.tokens.operator)).status).toBe(400);
    const unscoped = await exchange(id, TOOLS_RESOURCE, undefined as unknown as string);
    expect(unscoped.body.scope).toBe('tools:read');

    // A child inherits the bound through its edge.
    const child = await spawn({ parent_id: id });
    expect(child.statusCode).toBe(201);
    const childId = child.json().agent_session_id as string;
    expect((await exchange(childId, WIDE_RESOURCE, 'tools:call')).status).toBe(200);
    expect((await exchange(childId, TOOLS_RESOURCE, 'tools:call')).status).toBe(400);
    // A child spawned from such a blueprint holds one resource, named.
    expect((await spawn({ parent_id: id, blueprint: 'per-resource' })).statusCode).toBe(400);
    const picked = await spawn({ parent_id: id, blueprint: 'per-resource', grant: { mode: 'narrow', resource_id: WIDE_RESOURCE } });
    expect(picked.json()).toMatchObject({ scopes: ['tools:call'], resource_id: WIDE_RESOURCE });
  });

  it('grants nothing from a blueprint without authority', async () => {
    await operator('POST', '/agents', { name: 'powerless' });
    const spawned = await spawn({ blueprint: 'powerless' });
    expect(spawned.statusCode).toBe(201);
    expect(spawned.json().scopes).toEqual([]);
    expect((await exchange(spawned.json().agent_session_id as string, TOOLS_RESOURCE, 'tools:call')).status).toBeGreaterThanOrEqual(400);
  });

  it('refuses an inactive, unknown or ambiguous blueprint and spawns nothing', async () => {
    await operator('POST', '/agents', { name: 'sleeping', authority: { resources: [{ resource_id: TOOLS_RESOURCE, scopes: ['tools:call'] }] } });
    await operator('PATCH', '/agents/sleeping/status', { status: 'inactive' });
    const count = async () => Number((await suite.sts.context.database.query<{ n: string }>('SELECT count(*) AS n FROM agent_sessions WHERE zone_id = $1', [suite.zoneId])).rows[0]!.n);
    const before = await count();
    const inactive = await spawn({ blueprint: 'sleeping' });
    expect(inactive.statusCode).toBe(409);
    expect(inactive.json().error).toBe('blueprint_inactive');
    expect((await spawn({ blueprint: 'missing' })).statusCode).toBe(404);
    expect((await spawn({ blueprint: 'caller', agent_name: 'sleeping' })).statusCode).toBe(400);
    expect((await spawn({ blueprint: '..' })).statusCode).toBe(400);
    // Another zone's blueprint of that name does not exist here.
    await suite.call({ method: 'POST', url: '/agents', token: suite.tokens.stranger, body: { name: 'theirs' } });
    expect((await spawn({ blueprint: 'theirs' })).statusCode).toBe(404);
    expect(await count()).toBe(before);
    await operator('PATCH', '/agents/sleeping/status', { status: 'active' });
    expect((await spawn({ blueprint: 'sleeping' })).statusCode).toBe(201);
  });
});

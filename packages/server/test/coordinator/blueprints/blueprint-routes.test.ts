import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testBackends } from '../../helpers/backends.ts';
import { TOOLS_RESOURCE, useBlueprintSuite } from './blueprint-fixture.ts';

describe.each(testBackends())('blueprint routes on $name', (backend) => {
  const suite = useBlueprintSuite(backend);
  const as = (token: keyof typeof suite.tokens) => (method: string, url: string, body?: unknown) => suite.call({ method, url, token: suite.tokens[token], body });
  const dir = (name: string) => join(suite.sts.agentsDir, suite.zoneId, name);

  it('creates, reads, lists, updates, toggles and deletes a blueprint in the seed layout', async () => {
    const operator = as('operator');
    const created = await operator('POST', '/agents', {
      name: 'researcher',
      description: 'finds things',
      system_prompt: '# You research.',
      mcp_servers: { tools: { url: 'http://tools.test/mcp' } },
      skills: ['search'],
      tags: ['research', 'web'],
      authority: { resources: [{ resource_id: TOOLS_RESOURCE, scopes: ['tools:call'] }], constraints: { budget: 10 } },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ name: 'researcher', status: 'active', system_prompt: '# You research.', tags: ['research', 'web'] });
    expect(JSON.parse(readFileSync(join(dir('researcher'), 'agent.json'), 'utf8'))).toMatchObject({ name: 'researcher', description: 'finds things', skills: ['search'] });
    expect(readFileSync(join(dir('researcher'), 'agent.system-prompt.md'), 'utf8')).toBe('# You research.');
    expect(JSON.parse(readFileSync(join(dir('researcher'), 'agent.mcp.json'), 'utf8'))).toEqual({ mcpServers: { tools: { url: 'http://tools.test/mcp' } } });

    const read = await as('reader')('GET', '/agents/researcher');
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(created.json());
    expect((await operator('POST', '/agents', { name: 'researcher' })).statusCode).toBe(409);

    const disabled = await operator('PATCH', '/agents/researcher/status', { status: 'inactive' });
    expect(disabled.json().status).toBe('inactive');
    expect(existsSync(join(dir('researcher'), '.disabled'))).toBe(true);
    expect((await operator('PATCH', '/agents/researcher/status', { status: 'active' })).json().status).toBe('active');
    expect(existsSync(join(dir('researcher'), '.disabled'))).toBe(false);

    expect((await operator('DELETE', '/agents/researcher')).statusCode).toBe(204);
    expect(existsSync(dir('researcher'))).toBe(false);
    expect((await operator('GET', '/agents/researcher')).statusCode).toBe(404);
    expect((await operator('DELETE', '/agents/researcher')).statusCode).toBe(404);
    expect((await operator('PATCH', '/agents/researcher', { description: 'x' })).statusCode).toBe(404);
    expect((await operator('PATCH', '/agents/researcher/status', { status: 'active' })).statusCode).toBe(404);
  });

  it('PATCH: a field left out or null stays, an empty value clears it', async () => {
    const operator = as('operator');
    const every = {
      description: 'd',
      system_prompt: 'p',
      mcp_servers: { a: { command: 'x' } },
      skills: ['s'],
      tags: ['t'],
      authority: { resources: [{ resource_id: TOOLS_RESOURCE, scopes: ['tools:read'] }] },
    };
    await operator('POST', '/agents', { name: 'patched', ...every });
    const kept = await operator('PATCH', '/agents/patched', { description: null, system_prompt: null, mcp_servers: null, skills: null, tags: null, authority: null });
    expect(kept.statusCode).toBe(200);
    expect(kept.json()).toMatchObject(every);
    expect((await operator('PATCH', '/agents/patched', {})).json()).toMatchObject({ description: 'd', tags: ['t'] });
    const changed = await operator('PATCH', '/agents/patched', { description: 'e', tags: ['u', 'v'] });
    expect(changed.json()).toMatchObject({ description: 'e', tags: ['u', 'v'], skills: ['s'], system_prompt: 'p' });
    const cleared = await operator('PATCH', '/agents/patched', { description: '', system_prompt: '', mcp_servers: {}, skills: [], tags: [], authority: {} });
    expect(cleared.json()).toMatchObject({ description: '', system_prompt: null, mcp_servers: null, skills: [], tags: [], authority: null });
    expect(existsSync(join(dir('patched'), 'agent.system-prompt.md'))).toBe(false);
    expect(existsSync(join(dir('patched'), 'agent.mcp.json'))).toBe(false);
  });

  it('filters the list by tags: blueprints carrying every tag named', async () => {
    const operator = as('operator');
    await operator('POST', '/agents', { name: 'tag-a', tags: ['alpha', 'shared'] });
    await operator('POST', '/agents', { name: 'tag-b', tags: ['beta', 'shared'] });
    await operator('POST', '/agents', { name: 'tag-ab', tags: ['alpha', 'beta', 'shared'] });
    const names = async (query: string) => ((await as('reader')('GET', `/agents${query}`)).json().agents as Array<{ name: string }>).map((agent) => agent.name);
    expect(await names('?tags=shared')).toEqual(['tag-a', 'tag-ab', 'tag-b']);
    expect(await names('?tags=alpha,beta')).toEqual(['tag-ab']);
    expect(await names('?tags=alpha, shared')).toEqual(['tag-a', 'tag-ab']);
    expect(await names('?tags=nothing')).toEqual([]);
    expect(await names('?tags=')).toEqual(expect.arrayContaining(['tag-a', 'tag-ab', 'tag-b']));
  });

  it('validates the authority against the zone\'s registered resources', async () => {
    const operator = as('operator');
    const refused = async (authority: unknown) => {
      const answer = await operator('POST', '/agents', { name: 'bad-authority', authority });
      expect(answer.statusCode).toBe(400);
      expect(answer.json().error).toBe('invalid_request');
      return answer.json().error_description as string;
    };
    expect(await refused({ resources: [{ resource_id: 'mcp://unknown.test', scopes: ['tools:call'] }] })).toContain('not registered');
    expect(await refused({ resources: [{ resource_id: TOOLS_RESOURCE, scopes: ['files:read'] }] })).toContain('does not accept files:read');
    expect(await refused({ resources: [{ resource_id: TOOLS_RESOURCE, scopes: ['tools:call'] }, { resource_id: TOOLS_RESOURCE, scopes: ['tools:read'] }] })).toContain('twice');
    expect(await refused({ resources: [{ resource_id: TOOLS_RESOURCE, scopes: [] }] })).toBeTypeOf('string');
    expect(existsSync(dir('bad-authority'))).toBe(false);
    await operator('POST', '/agents', { name: 'good-authority' });
    const patch = await operator('PATCH', '/agents/good-authority', { authority: { resources: [{ resource_id: 'mcp://unknown.test', scopes: ['x'] }] } });
    expect(patch.statusCode).toBe(400);
    expect((await operator('GET', '/agents/good-authority')).json().authority).toBeNull();
  });

  it('lets an application of the zone read but only an operator write', async () => {
    await as('operator')('POST', '/agents', { name: 'guarded', description: 'g' });
    const reader = as('reader');
    expect((await reader('GET', '/agents')).statusCode).toBe(200);
    expect((await reader('GET', '/agents/guarded')).statusCode).toBe(200);
    for (const [method, url, body] of [
      ['POST', '/agents', { name: 'sneaky' }],
      ['PATCH', '/agents/guarded', { description: 'changed' }],
      ['PATCH', '/agents/guarded/status', { status: 'inactive' }],
      ['DELETE', '/agents/guarded', undefined],
    ] as const) {
      const answer = await reader(method, url, body);
      expect(answer.statusCode, `${method} ${url}`).toBe(403);
      expect(answer.json().error).toBe('forbidden');
    }
    expect((await reader('GET', '/agents/guarded')).json()).toMatchObject({ description: 'g', status: 'active' });
    expect(existsSync(dir('sneaky'))).toBe(false);
    expect((await suite.call({ method: 'GET', url: '/agents' })).statusCode).toBe(401);
  });

  it('keeps zones apart: another zone neither sees nor changes a blueprint', async () => {
    await as('operator')('POST', '/agents', { name: 'zoned' });
    const stranger = as('stranger');
    expect((await stranger('GET', '/agents/zoned')).statusCode).toBe(404);
    expect(((await stranger('GET', '/agents')).json().agents as Array<{ name: string }>).map((agent) => agent.name)).not.toContain('zoned');
    expect((await stranger('PATCH', '/agents/zoned', { description: 'x' })).statusCode).toBe(404);
    expect((await stranger('PATCH', '/agents/zoned/status', { status: 'inactive' })).statusCode).toBe(404);
    expect((await stranger('DELETE', '/agents/zoned')).statusCode).toBe(404);
    // The same name in the other zone is another blueprint.
    expect((await stranger('POST', '/agents', { name: 'zoned', description: 'theirs' })).statusCode).toBe(201);
    expect((await as('reader')('GET', '/agents/zoned')).json().description).toBe('');
    expect(existsSync(join(suite.sts.agentsDir, suite.otherZoneId, 'zoned', 'agent.json'))).toBe(true);
  });
});

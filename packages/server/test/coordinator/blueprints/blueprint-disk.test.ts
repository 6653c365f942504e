import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testBackends } from '../../helpers/backends.ts';
import { useBlueprintSuite } from './blueprint-fixture.ts';

/** The directory is the store: what an operator edits there is what the routes answer, at once. */
describe.each(testBackends())('blueprints edited on disk on $name', (backend) => {
  const suite = useBlueprintSuite(backend);
  const get = (url: string) => suite.call({ method: 'GET', url, token: suite.tokens.reader });
  const dir = (name: string) => join(suite.sts.agentsDir, suite.zoneId, name);
  const write = (name: string, file: string, text: string) => {
    mkdirSync(dir(name), { recursive: true });
    writeFileSync(join(dir(name), file), text);
  };

  it('sees a directory made by hand, and each later edit, without a restart', async () => {
    write('handmade', 'agent.json', JSON.stringify({ name: 'handmade', description: 'first', skills: ['a'] }));
    expect((await get('/agents/handmade')).json()).toMatchObject({ name: 'handmade', description: 'first', skills: ['a'], tags: [], status: 'active', system_prompt: null, mcp_servers: null });
    write('handmade', 'agent.json', JSON.stringify({ name: 'handmade', description: 'second', tags: ['edited'] }));
    write('handmade', 'agent.system-prompt.md', 'be brief');
    write('handmade', 'agent.mcp.json', JSON.stringify({ mcpServers: { files: { command: 'files-mcp' } } }));
    write('handmade', '.disabled', '');
    expect((await get('/agents/handmade')).json()).toMatchObject({
      description: 'second',
      tags: ['edited'],
      system_prompt: 'be brief',
      mcp_servers: { files: { command: 'files-mcp' } },
      status: 'inactive',
    });
    expect(((await get('/agents?tags=edited')).json().agents as Array<{ name: string }>).map((agent) => agent.name)).toEqual(['handmade']);
    rmSync(dir('handmade'), { recursive: true });
    expect((await get('/agents/handmade')).statusCode).toBe(404);
  });

  it('reports broken directories in the list and keeps listing the others', async () => {
    write('healthy', 'agent.json', JSON.stringify({ name: 'healthy', description: 'fine' }));
    write('bad-json', 'agent.json', '{ not json');
    mkdirSync(dir('no-agent-file'), { recursive: true });
    write('bad-shape', 'agent.json', JSON.stringify({ skills: 'not a list' }));
    write('bad-mcp', 'agent.json', JSON.stringify({ name: 'bad-mcp' }));
    write('bad-mcp', 'agent.mcp.json', JSON.stringify({ servers: [] }));
    write('bad name', 'agent.json', JSON.stringify({ name: 'bad name' }));
    writeFileSync(join(suite.sts.agentsDir, suite.zoneId, 'stray-file.txt'), 'not a blueprint');
    const list = await get('/agents');
    expect(list.statusCode).toBe(200);
    expect((list.json().agents as Array<{ name: string }>).map((agent) => agent.name)).toContain('healthy');
    const broken = Object.fromEntries((list.json().broken as Array<{ name: string; error: string }>).map((entry) => [entry.name, entry.error]));
    expect(broken['bad-json']).toContain('not valid JSON');
    expect(broken['no-agent-file']).toContain('agent.json is missing');
    expect(broken['bad-shape']).toContain('skills');
    expect(broken['bad-mcp']).toContain('agent.mcp.json');
    expect(broken['bad name']).toContain('not a blueprint name');
    expect(broken['healthy']).toBeUndefined();

    const read = await get('/agents/bad-json');
    expect(read.statusCode).toBe(409);
    expect(read.json()).toMatchObject({ error: 'conflict' });
    const operator = (method: string, url: string, body?: unknown) => suite.call({ method, url, token: suite.tokens.operator, body });
    expect((await operator('PATCH', '/agents/bad-json', { description: 'x' })).statusCode).toBe(409);
    expect((await operator('DELETE', '/agents/bad-json')).statusCode).toBe(204);
    expect((await operator('POST', '/agents', { name: 'no-agent-file' })).statusCode).toBe(409);
  });

  it('lists nothing for a zone without a folder', async () => {
    const list = await suite.call({ method: 'GET', url: '/agents', token: suite.tokens.stranger });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual({ agents: [], broken: [] });
  });
});

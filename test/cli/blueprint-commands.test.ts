import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REQUEST_ID, parseJson as parse, tableRows, useOperatorServer } from './helpers/operator.ts';
import { RESOURCE, SCOPE, ZONE } from './helpers/real-server.ts';

type Row = Record<string, unknown>;

const { server, operator } = useOperatorServer();
const files = mkdtempSync(join(tmpdir(), 'caracal-cli-blueprint-files-'));
afterAll(() => rmSync(files, { recursive: true, force: true }));

describe('the built caracal binary against the real Coordinator: blueprint', () => {
  it('blueprint create writes the seed layout; get and list show it', async () => {
    writeFileSync(join(files, 'prompt.md'), '# You research.\n');
    writeFileSync(join(files, 'agent.mcp.json'), JSON.stringify({ mcpServers: { tools: { url: 'http://tools.cli/mcp' } } }));
    const created = await operator([
      'blueprint', 'create', 'researcher',
      '--description', 'finds things',
      '--system-prompt-file', join(files, 'prompt.md'),
      '--mcp-config', join(files, 'agent.mcp.json'),
      '--skills', 'search,read',
      '--tags', 'research,web',
      '--grant', `${RESOURCE}=${SCOPE}`,
    ]);
    expect(created).toMatchObject({ code: 0, stdout: 'created blueprint researcher\n', stderr: '' });
    const directory = join(server().agentsDir, ZONE, 'researcher');
    for (const file of ['agent.json', 'agent.system-prompt.md', 'agent.mcp.json']) expect(existsSync(join(directory, file)), file).toBe(true);

    const json = parse((await operator(['blueprint', 'get', 'researcher', '--json'])).stdout) as Row;
    expect(json).toMatchObject({
      name: 'researcher',
      description: 'finds things',
      system_prompt: '# You research.\n',
      mcp_servers: { tools: { url: 'http://tools.cli/mcp' } },
      skills: ['search', 'read'],
      tags: ['research', 'web'],
      status: 'active',
      authority: { resources: [{ resource_id: RESOURCE, scopes: [SCOPE] }] },
    });
    const text = await operator(['blueprint', 'get', 'researcher']);
    expect(text.stdout).toMatch(/^name +researcher\n/);

    await operator(['blueprint', 'create', 'writer', '--tags', 'web']);
    const table = await operator(['blueprint', 'list']);
    expect(table).toMatchObject({ code: 0, stderr: '' });
    const [header, ...rows] = tableRows(table.stdout);
    expect(header).toEqual(['name', 'status', 'tags', 'description', 'modified_at']);
    expect(rows.map((row) => row[0])).toEqual(['researcher', 'writer']);
    const filtered = parse((await operator(['blueprint', 'list', '--tags', 'research,web', '--json'])).stdout) as Row[];
    expect(filtered.map((row) => row.name)).toEqual(['researcher']);
  });

  it('blueprint disable and enable toggle the status; delete removes it', async () => {
    await operator(['blueprint', 'create', 'toggled']);
    expect(await operator(['blueprint', 'disable', 'toggled'])).toMatchObject({ code: 0, stdout: 'disabled blueprint toggled\n' });
    expect((parse((await operator(['blueprint', 'get', 'toggled', '--json'])).stdout) as Row).status).toBe('inactive');
    expect(existsSync(join(server().agentsDir, ZONE, 'toggled', '.disabled'))).toBe(true);
    const enabled = parse((await operator(['blueprint', 'enable', 'toggled', '--json'])).stdout) as Row;
    expect(enabled.status).toBe('active');
    expect(await operator(['blueprint', 'delete', 'toggled'])).toMatchObject({ code: 0, stdout: 'deleted blueprint toggled\n' });
    const missing = await operator(['blueprint', 'get', 'toggled']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(new RegExp(`^not_found: .*${REQUEST_ID.source}`));
  });

  it('reports broken directories on stderr and keeps listing', async () => {
    mkdirSync(join(server().agentsDir, ZONE, 'broken-one'), { recursive: true });
    writeFileSync(join(server().agentsDir, ZONE, 'broken-one', 'agent.json'), '{ nope');
    const listed = await operator(['blueprint', 'list', '--json']);
    expect(listed.code).toBe(0);
    expect((parse(listed.stdout) as Row[]).map((row) => row.name)).toContain('researcher');
    expect(listed.stderr).toContain('broken broken-one: agent.json is not valid JSON');
  });

  it('refuses a traversal name before any request (exit 2), and a refused create exits 1', async () => {
    for (const name of ['..', '../x', 'a/b', '%2E%2E', 'a'.repeat(61)]) {
      const refused = await operator(['blueprint', 'delete', name]);
      expect(refused.code, name).toBe(2);
      expect(refused.stderr).toContain('not a blueprint name');
    }
    const unknownResource = await operator(['blueprint', 'create', 'ungrounded', '--grant', 'mcp://nowhere.cli=tools:call']);
    expect(unknownResource.code).toBe(1);
    expect(unknownResource.stderr).toMatch(/^invalid_request: .*not registered/);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { spawnGraph, type AgentGraph } from './helpers/agent-graph.ts';
import { REQUEST_ID, parseJson as parse, tableRows, useOperatorServer } from './helpers/operator.ts';
import { ZONE } from './helpers/real-server.ts';

type Row = Record<string, unknown>;

const { server, operator } = useOperatorServer();

describe('the built caracal binary against the real Coordinator: agent', () => {
  let graph: AgentGraph;
  beforeAll(async () => {
    graph = await spawnGraph(server());
  });

  it('agent list prints the documented columns and every session; --json prints an array of rows', async () => {
    const table = await operator(['agent', 'list']);
    expect(table).toMatchObject({ code: 0, stderr: '' });
    const [header, ...rows] = tableRows(table.stdout);
    expect(header).toEqual(['id', 'application_id', 'parent_id', 'status', 'depth', 'spawned_at', 'terminated_at']);
    const child = rows.find((row) => row[0] === graph.child);
    expect(child?.slice(0, 5)).toEqual([graph.child, 'app_cli', graph.root, 'active', '1']);
    expect(child?.[6]).toBe('-');
    const json = await operator(['agent', 'list', '--json']);
    const sessions = parse(json.stdout) as Row[];
    expect(Array.isArray(sessions)).toBe(true);
    expect(sessions.map((session) => session.id)).toEqual(rows.map((row) => row[0]));
    expect(sessions.find((session) => session.id === graph.grandchild)).toMatchObject({ parent_id: graph.child, depth: 2, status: 'active', terminated_at: null });
  });

  it('agent get prints one session; --json prints the object', async () => {
    const text = await operator(['agent', 'get', graph.child]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^id +${graph.child}\n`));
    expect(text.stdout).toMatch(new RegExp(`\nparent_id +${graph.root}\n`));
    const json = await operator(['agent', 'get', graph.child, '--json']);
    expect(parse(json.stdout)).toMatchObject({ id: graph.child, parent_id: graph.root, zone_id: ZONE, status: 'active', depth: 1 });
  });

  it('agent tree (and its alias children) lists the direct children with the documented columns', async () => {
    const tree = await operator(['agent', 'tree', graph.root]);
    const [header, ...rows] = tableRows(tree.stdout);
    expect(header).toEqual(['id', 'application_id', 'parent_id', 'status', 'depth', 'spawned_at']);
    expect(rows.map((row) => row[0]).sort()).toEqual([graph.child, graph.sibling].sort());
    const alias = await operator(['agent', 'children', graph.root]);
    expect(alias.stdout).toBe(tree.stdout);
    const json = await operator(['agent', 'tree', graph.child, '--json']);
    expect((parse(json.stdout) as Row[]).map((row) => row.id)).toEqual([graph.grandchild]);
  });

  it('agent suspend and resume apply to the subtree', async () => {
    expect(await operator(['agent', 'suspend', graph.child])).toMatchObject({ code: 0, stdout: `suspended ${graph.child}\n`, stderr: '' });
    const suspended = parse((await operator(['agent', 'get', graph.grandchild, '--json'])).stdout) as Row;
    expect(suspended.status).toBe('suspended');
    expect(await operator(['agent', 'resume', graph.child])).toMatchObject({ code: 0, stdout: `resumed ${graph.child}\n`, stderr: '' });
    const resumed = parse((await operator(['agent', 'resume', graph.child, '--json'])).stdout);
    expect(resumed).toMatchObject({ id: graph.child });
    expect((parse((await operator(['agent', 'get', graph.grandchild, '--json'])).stdout) as Row).status).toBe('active');
  });

  it('agent terminate prints "terminated <id>", cascades, and cannot be undone', async () => {
    const own = await spawnGraph(server());
    expect(await operator(['agent', 'terminate', own.child])).toMatchObject({ code: 0, stdout: `terminated ${own.child}\n`, stderr: '' });
    const grandchild = parse((await operator(['agent', 'get', own.grandchild, '--json'])).stdout) as Row;
    expect(grandchild.status).toBe('terminated');
    expect(typeof grandchild.terminated_at).toBe('string');
    const resume = await operator(['agent', 'resume', own.child]);
    expect(resume.code).toBe(1);
    expect(resume.stdout).toBe('');
    expect(resume.stderr).toMatch(new RegExp(`^\\w+: .*${own.child}.*${REQUEST_ID.source}`));
  });

  it('reports an unknown session with its code, description and request id, exit 1', async () => {
    const missing = await operator(['agent', 'get', 'agentsess_00000000000000000000000000']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(new RegExp(`^not_found: .*${REQUEST_ID.source}`));
  });

  it('takes the zone from the token claim, and --zone overrides it', async () => {
    const otherZone = await operator(['agent', 'list', '--zone', 'zone_elsewhere']);
    expect(otherZone.code).toBe(1);
    expect(otherZone.stderr).toMatch(/zone_elsewhere/);
    const sameZone = await operator(['agent', 'list', '--zone', ZONE, '--json']);
    expect(sameZone.code).toBe(0);
  });
});

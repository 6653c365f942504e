import { beforeAll, describe, expect, it } from 'vitest';
import { spawnGraph, type AgentGraph } from './helpers/agent-graph.ts';
import { REQUEST_ID, parseJson as parse, tableRows, useOperatorServer } from './helpers/operator.ts';

type Row = Record<string, unknown>;

const { server, operator } = useOperatorServer();

describe('the built caracal binary against the real Coordinator: delegation', () => {
  let graph: AgentGraph;
  beforeAll(async () => {
    graph = await spawnGraph(server());
  });

  it('delegation inbound lists the edges into a session with the documented columns', async () => {
    const table = await operator(['delegation', 'inbound', graph.child]);
    expect(table).toMatchObject({ code: 0, stderr: '' });
    const [header, ...rows] = tableRows(table.stdout);
    expect(header).toEqual(['id', 'source_session_id', 'target_session_id', 'resource_id', 'status', 'expires_at']);
    expect(rows.map((row) => row.slice(0, 3))).toEqual([[graph.edges.child, graph.root, graph.child]]);
    const json = parse((await operator(['delegation', 'inbound', graph.child, '--json'])).stdout) as Row[];
    expect(json).toEqual([expect.objectContaining({ id: graph.edges.child, source_session_id: graph.root, target_session_id: graph.child, status: 'active' })]);
  });

  it('delegation outbound lists the edges out of a session', async () => {
    const json = parse((await operator(['delegation', 'outbound', graph.root, '--json'])).stdout) as Row[];
    expect(json.map((edge) => edge.id).sort()).toEqual([graph.edges.child, graph.edges.sibling].sort());
    const table = await operator(['delegation', 'outbound', graph.root]);
    expect(tableRows(table.stdout)).toHaveLength(3);
  });

  it('delegation traverse walks the chain root to leaf with the documented columns', async () => {
    const table = await operator(['delegation', 'traverse', graph.edges.grandchild]);
    expect(table).toMatchObject({ code: 0, stderr: '' });
    expect(tableRows(table.stdout)).toEqual([
      ['depth', 'id', 'source_session_id', 'target_session_id'],
      ['0', graph.edges.child, graph.root, graph.child],
      ['1', graph.edges.grandchild, graph.child, graph.grandchild],
    ]);
    const json = parse((await operator(['delegation', 'traverse', graph.edges.grandchild, '--json'])).stdout);
    expect(json).toEqual([
      expect.objectContaining({ depth: 0, id: graph.edges.child }),
      expect.objectContaining({ depth: 1, id: graph.edges.grandchild }),
    ]);
  });

  it('delegation revoke cascades and prints the counts exactly as docs/cli.md shows them', async () => {
    const revoke = await operator(['delegation', 'revoke', graph.edges.child]);
    expect(revoke).toMatchObject({ code: 0, stderr: '' });
    const counts = /^\{"revoked_edges": (\d+), "affected_sessions": (\d+)\}\n$/.exec(revoke.stdout);
    expect(counts, revoke.stdout).not.toBeNull();
    expect(Number(counts![1])).toBeGreaterThanOrEqual(2);
    const downstream = parse((await operator(['delegation', 'inbound', graph.grandchild, '--json'])).stdout) as Row[];
    expect(downstream.map((edge) => edge.status)).toEqual(['revoked']);
    const again = await operator(['delegation', 'revoke', graph.edges.sibling, '--json']);
    expect(parse(again.stdout)).toEqual({ revoked_edges: expect.any(Number), affected_sessions: expect.any(Number) });
  });

  it('reports an unknown edge with its code, description and request id, exit 1', async () => {
    const missing = await operator(['delegation', 'traverse', 'deledge_00000000000000000000000000']);
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toMatch(new RegExp(`^not_found: .*${REQUEST_ID.source}`));
  });
});

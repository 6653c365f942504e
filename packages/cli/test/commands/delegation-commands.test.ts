import { describe, expect } from 'vitest';
import { coordinatorTest } from '../helpers/coordinator-fixture.ts';
import { runAgainst } from '../helpers/run-against.ts';


const EDGE_HEADER = /^id\s+source_session_id\s+target_session_id\s+resource_id\s+status\s+expires_at$/;

describe('caracal delegation inbound | outbound', () => {
  coordinatorTest('lists edges by target for inbound', async ({ coordinator }) => {
    const result = await runAgainst(coordinator, ['delegation', 'inbound', 'agentsess_child1']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(EDGE_HEADER);
    expect(lines.slice(1)).toHaveLength(1);
    expect(lines[1]).toMatch(/^deledge_a\s+agentsess_root\s+agentsess_child1\s+mcp:\/\/tools\.test\s+active\s+2025-01-01T00:15:00\.000Z$/);
    expect(coordinator.requests.at(-1)!.query.get('target_session_id')).toBe('agentsess_child1');
  });

  coordinatorTest('lists edges by source for outbound, across pages', async ({ coordinator }) => {
    const result = await runAgainst(coordinator, ['delegation', 'outbound', 'agentsess_root', '--json']);
    const ids = (JSON.parse(result.stdout) as Array<{ id: string }>).map((edge) => edge.id);
    expect(ids).toEqual(['deledge_a', 'deledge_c', 'deledge_d']);
    expect(coordinator.requests.filter((request) => request.path.endsWith('/delegations')).length).toBe(2);
  });

  coordinatorTest('prints only the header for a session without edges', async ({ coordinator }) => {
    const result = await runAgainst(coordinator, ['delegation', 'outbound', 'agentsess_grandchild']);
    expect(result.stdout.trimEnd().split('\n')).toHaveLength(1);
    const json = await runAgainst(coordinator, ['delegation', 'outbound', 'agentsess_grandchild', '--json']);
    expect(JSON.parse(json.stdout)).toEqual([]);
  });
});

describe('caracal delegation traverse', () => {
  coordinatorTest('prints the chain root to leaf with the documented columns', async ({ coordinator }) => {
    const result = await runAgainst(coordinator, ['delegation', 'traverse', 'deledge_b']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        'depth  id         source_session_id  target_session_id',
        '0      deledge_a  agentsess_root     agentsess_child1',
        '1      deledge_b  agentsess_child1   agentsess_grandchild',
        '',
      ].join('\n'),
    );
  });

  coordinatorTest('prints a JSON array with --json', async ({ coordinator }) => {
    const result = await runAgainst(coordinator, ['delegation', 'traverse', 'deledge_b', '--json']);
    expect(JSON.parse(result.stdout)).toEqual([
      { depth: 0, id: 'deledge_a', source_session_id: 'agentsess_root', target_session_id: 'agentsess_child1' },
      { depth: 1, id: 'deledge_b', source_session_id: 'agentsess_child1', target_session_id: 'agentsess_grandchild' },
    ]);
  });
});

describe('caracal delegation revoke', () => {
  coordinatorTest('prints the counts exactly as docs/cli.md shows them', async ({ coordinator }) => {
    const result = await runAgainst(coordinator, ['delegation', 'revoke', 'deledge_a']);
    expect(result).toMatchObject({ code: 0, stdout: '{"revoked_edges": 2, "affected_sessions": 2}\n', stderr: '' });
    expect(coordinator.requests.at(-1)).toMatchObject({ method: 'POST', path: '/zones/zone_test/delegations/deledge_a/revoke' });
  });

  coordinatorTest('prints a JSON object with --json', async ({ coordinator }) => {
    const result = await runAgainst(coordinator, ['delegation', 'revoke', 'deledge_c', '--json']);
    expect(JSON.parse(result.stdout)).toEqual({ revoked_edges: 1, affected_sessions: 1 });
  });

  coordinatorTest('reports a rejected token with exit 1', async ({ coordinator }) => {
    const result = await runAgainst(coordinator, ['delegation', 'revoke', 'deledge_a'], { env: { CARACAL_COORDINATOR_TOKEN: 'wrong' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^invalid_token: the bearer mandate is not valid\n {2}HTTP 401, request id req_fake\d+\n$/);
  });
});

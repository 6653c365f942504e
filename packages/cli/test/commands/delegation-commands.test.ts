import { describe, expect } from 'vitest';
import { coordinatorTest } from '../helpers/coordinator-fixture.ts';
import { runAgainst } from '../helpers/run-against.ts';


const EDGE_HEADER = /^id\s+source_session_id\s+target_session_id\s+resource_id\s+status\s+expires_at$/;

describe('caracal delegation inbound | outbound', () => {
  coordinatorTest('lists edges by target for inbound', async ({ coordinator }) => {
    const result = await runAgainst(coordinator, ['delegation', 'inbound', 'agentsess_ch11d100000000000000000000']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(EDGE_HEADER);
    expect(lines.slice(1)).toHaveLength(1);
    expect(lines[1]).toMatch(/^deledge_a0000000000000000000000000\s+agentsess_r00t0000000000000000000000\s+agentsess_ch11d100000000000000000000\s+mcp:\/\/tools\.test\s+active\s+2025-01-01T00:15:00\.000Z$/);
    expect(coordinator.requests.at(-1)!.query.get('target_session_id')).toBe('agentsess_ch11d100000000000000000000');
  });

  coordinatorTest('lists edges by source for outbound, across pages', async ({ coordinator }) => {
    const result = await runAgainst(coordinator, ['delegation', 'outbound', 'agentsess_r00t0000000000000000000000', '--json']);
    const ids = (JSON.parse(result.stdout) as Array<{ id: string }>).map((edge) => edge.id);
    expect(ids).toEqual(['deledge_a0000000000000000000000000', 'deledge_c0000000000000000000000000', 'deledge_d0000000000000000000000000']);
    expect(coordinator.requests.filter((request) => request.path.endsWith('/delegations')).length).toBe(2);
  });

  coordinatorTest('prints only the header for a session without edges', async ({ coordinator }) => {
    const result = await runAgainst(coordinator, ['delegation', 'outbound', 'agentsess_grandch11d0000000000000000']);
    expect(result.stdout.trimEnd().split('\n')).toHaveLength(1);
    const json = await runAgainst(coordinator, ['delegation', 'outbound', 'agentsess_grandch11d0000000000000000', '--json']);
    expect(JSON.parse(json.stdout)).toEqual([]);
  });
});

describe('caracal delegation traverse', () => {
  coordinatorTest('prints the chain root to leaf with the documented columns', async ({ coordinator }) => {
    const result = await runAgainst(coordinator, ['delegation', 'traverse', 'deledge_b0000000000000000000000000']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        'depth  id                                  source_session_id                     target_session_id',
        '0      deledge_a0000000000000000000000000  agentsess_r00t0000000000000000000000  agentsess_ch11d100000000000000000000',
        '1      deledge_b0000000000000000000000000  agentsess_ch11d100000000000000000000  agentsess_grandch11d0000000000000000',
        '',
      ].join('\n'),
    );
  });

  coordinatorTest('prints a JSON array with --json', async ({ coordinator }) => {
    const result = await runAgainst(coordinator, ['delegation', 'traverse', 'deledge_b0000000000000000000000000', '--json']);
    expect(JSON.parse(result.stdout)).toEqual([
      { depth: 0, id: 'deledge_a0000000000000000000000000', source_session_id: 'agentsess_r00t0000000000000000000000', target_session_id: 'agentsess_ch11d100000000000000000000' },
      { depth: 1, id: 'deledge_b0000000000000000000000000', source_session_id: 'agentsess_ch11d100000000000000000000', target_session_id: 'agentsess_grandch11d0000000000000000' },
    ]);
  });
});

describe('caracal delegation revoke', () => {
  coordinatorTest('prints the counts exactly as docs/cli.md shows them', async ({ coordinator }) => {
    const result = await runAgainst(coordinator, ['delegation', 'revoke', 'deledge_a0000000000000000000000000']);
    expect(result).toMatchObject({ code: 0, stdout: '{"revoked_edges": 2, "affected_sessions": 2}\n', stderr: '' });
    expect(coordinator.requests.at(-1)).toMatchObject({ method: 'POST', path: '/zones/zone_test/delegations/deledge_a0000000000000000000000000/revoke' });
  });

  coordinatorTest('prints a JSON object with --json', async ({ coordinator }) => {
    const result = await runAgainst(coordinator, ['delegation', 'revoke', 'deledge_c0000000000000000000000000', '--json']);
    expect(JSON.parse(result.stdout)).toEqual({ revoked_edges: 1, affected_sessions: 1 });
  });

  coordinatorTest('refuses a malformed edge id (deledge_nope) with exit 2 and no request, as docs/cli.md says', async ({ coordinator }) => {
    const before = coordinator.requests.length;
    const result = await runAgainst(coordinator, ['delegation', 'revoke', 'deledge_nope']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("'deledge_nope' is invalid for argument 'edge'");
    expect(result.stderr).toContain('not a delegation edge id: expected deledge_ followed by 26 lower-case base32 characters');
    expect(coordinator.requests).toHaveLength(before);
  });

  coordinatorTest('reports a rejected token with exit 1, and how to mint a new one', async ({ coordinator }) => {
    const result = await runAgainst(coordinator, ['delegation', 'revoke', 'deledge_a0000000000000000000000000'], { env: { CARACAL_COORDINATOR_TOKEN: 'wrong' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^invalid_token: the bearer mandate is not valid\n {2}HTTP 401, request id req_fake\d+\nthe token was refused \(expired\?\): mint a new one with caracal token --zone zone_test and export it as CARACAL_COORDINATOR_TOKEN\n$/,
    );
  });
});

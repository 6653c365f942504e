import { describe, expect } from 'vitest';
import { coordinatorTest } from '../helpers/coordinator-fixture.ts';
import { expectActionPrints, runAgainst } from '../helpers/run-against.ts';


describe('caracal agent list', () => {
  coordinatorTest('prints every session of every page as an aligned table with the documented columns', async ({ coordinator }) => {
    const result = await runAgainst(coordinator, ['agent', 'list']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^id\s+application_id\s+parent_id\s+status\s+depth\s+spawned_at\s+terminated_at$/);
    expect(lines).toHaveLength(1 + coordinator.agents.length);
    // Every column starts at the same offset on every line.
    const statusColumn = lines[0]!.indexOf('status');
    for (const line of lines.slice(1)) expect(line.slice(statusColumn)).toMatch(/^(active|suspended|terminated)\s/);
    expect(lines[1]).toMatch(/^agentsess_r00t0000000000000000000000\s+app_orchestrator\s+-\s+active\s+0\s+2025-01-01T00:00:00.000Z\s+-$/);
    expect(result.stdout).not.toMatch(/ \n/);
  });

  coordinatorTest('follows next_cursor with the maximum page size and sends the bearer token', async ({ coordinator }) => {
    await runAgainst(coordinator, ['agent', 'list']);
    const lists = coordinator.requests.filter((request) => request.path === '/zones/zone_test/agents');
    expect(lists.map((request) => request.query.get('cursor'))).toEqual([null, '2', '4']);
    expect(lists.every((request) => request.query.get('limit') === '500')).toBe(true);
    expect(lists.every((request) => request.authorization === 'Bearer operator-token')).toBe(true);
  });

  coordinatorTest('prints a JSON array of the full rows with --json', async ({ coordinator }) => {
    const result = await runAgainst(coordinator, ['agent', 'list', '--json']);
    expect(result.code).toBe(0);
    const parsed: unknown = JSON.parse(result.stdout);
    expect(parsed).toEqual(coordinator.agents);
  });

  coordinatorTest('colours the status only on a terminal and never with NO_COLOR', async ({ coordinator }) => {
    const plain = await runAgainst(coordinator, ['agent', 'list']);
    expect(plain.stdout).not.toContain('\u001B[');
    const coloured = await runAgainst(coordinator, ['agent', 'list'], { isTTY: true });
    expect(coloured.stdout).toContain('\u001B[32mactive\u001B[39m');
    const noColour = await runAgainst(coordinator, ['agent', 'list'], { isTTY: true, env: { NO_COLOR: '1' } });
    expect(noColour.stdout).toBe(plain.stdout);
  });

  coordinatorTest('takes the zone from --zone over CARACAL_ZONE_ID, and from the token claim when neither is set', async ({ coordinator }) => {
    const flagged = await runAgainst(coordinator, ['agent', 'list', '--zone', 'zone_other']);
    expect(flagged.code).toBe(1);
    expect(coordinator.requests.at(-1)!.path).toBe('/zones/zone_other/agents');
    coordinator.token = `x.${Buffer.from(JSON.stringify({ zone_id: 'zone_test' })).toString('base64url')}.y`;
    const claimed = await runAgainst(coordinator, ['agent', 'list'], { env: { CARACAL_ZONE_ID: undefined } });
    expect(claimed.code).toBe(0);
    expect(coordinator.requests.at(-1)!.path).toBe('/zones/zone_test/agents');
  });
});

describe('caracal agent get', () => {
  coordinatorTest('prints the session as aligned key/value lines', async ({ coordinator }) => {
    const result = await runAgainst(coordinator, ['agent', 'get', 'agentsess_ch11d100000000000000000000']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('id              agentsess_ch11d100000000000000000000\n');
    expect(result.stdout).toContain('parent_id       agentsess_r00t0000000000000000000000\n');
    expect(result.stdout).toContain('terminated_at   -\n');
  });

  coordinatorTest('prints the object itself with --json', async ({ coordinator }) => {
    const result = await runAgainst(coordinator, ['agent', 'get', 'agentsess_ch11d100000000000000000000', '--json']);
    expect(JSON.parse(result.stdout)).toEqual(coordinator.agents[1]);
  });

  coordinatorTest('reports a server error with its code, description and request id, exit 1', async ({ coordinator }) => {
    const result = await runAgainst(coordinator, ['agent', 'get', 'agentsess_m1ss1ng0000000000000000000']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^not_found: no agent session agentsess_m1ss1ng0000000000000000000\n {2}HTTP 404, request id req_fake\d+\n$/);
  });

  coordinatorTest('refuses a malformed id with exit 2 before any request (so a path like ../../admin never reaches the URL)', async ({ coordinator }) => {
    const before = coordinator.requests.length;
    const result = await runAgainst(coordinator, ['agent', 'get', '../../admin/zones']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('not an agent session id: expected agentsess_ followed by 26 lower-case base32 characters');
    expect(coordinator.requests).toHaveLength(before);
  });
});

describe('caracal agent tree', () => {
  coordinatorTest('lists the direct children with the documented columns, and children is an alias', async ({ coordinator }) => {
    const tree = await runAgainst(coordinator, ['agent', 'tree', 'agentsess_r00t0000000000000000000000']);
    expect(tree.code).toBe(0);
    const lines = tree.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^id\s+application_id\s+parent_id\s+status\s+depth\s+spawned_at$/);
    expect(lines.slice(1).map((line) => line.split(/\s+/)[0])).toEqual(['agentsess_ch11d100000000000000000000', 'agentsess_ch11d200000000000000000000']);
    const alias = await runAgainst(coordinator, ['agent', 'children', 'agentsess_r00t0000000000000000000000']);
    expect(alias.stdout).toBe(tree.stdout);
  });

  coordinatorTest('prints a JSON array with --json', async ({ coordinator }) => {
    const result = await runAgainst(coordinator, ['agent', 'tree', 'agentsess_ch11d100000000000000000000', '--json']);
    expect((JSON.parse(result.stdout) as Array<{ id: string }>).map((row) => row.id)).toEqual(['agentsess_grandch11d0000000000000000']);
  });
});

describe('caracal agent suspend | resume | terminate', () => {
  coordinatorTest('suspends and resumes, printing the verb and the id', async ({ coordinator }) => {
    const suspended = await runAgainst(coordinator, ['agent', 'suspend', 'agentsess_ch11d100000000000000000000']);
    expect([suspended.code, suspended.stdout]).toEqual([0, 'suspended agentsess_ch11d100000000000000000000\n']);
    expect(coordinator.requests.at(-1)).toMatchObject({ method: 'POST', path: '/zones/zone_test/agents/agentsess_ch11d100000000000000000000/suspend' });
    const resumed = await runAgainst(coordinator, ['agent', 'resume', 'agentsess_ch11d100000000000000000000']);
    expect([resumed.code, resumed.stdout]).toEqual([0, 'resumed agentsess_ch11d100000000000000000000\n']);
  });

  coordinatorTest('terminates with DELETE and prints exactly "terminated <id>"', async ({ coordinator }) => {
    const id = 'agentsess_ch11d100000000000000000000';
    await expectActionPrints(coordinator, ['agent', 'terminate', id], `terminated ${id}\n`, { method: 'DELETE', path: `/zones/zone_test/agents/${id}` });
  });

  coordinatorTest("prints the server's counts with the id under --json", async ({ coordinator }) => {
    const result = await runAgainst(coordinator, ['agent', 'terminate', 'agentsess_ch11d100000000000000000000', '--json']);
    expect(JSON.parse(result.stdout)).toEqual({ id: 'agentsess_ch11d100000000000000000000', terminated_sessions: 2, revoked_edges: 2 });
    const again = await runAgainst(coordinator, ['agent', 'resume', 'agentsess_ch11d100000000000000000000']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('session_terminated: agent session agentsess_ch11d100000000000000000000 is terminated\n');
  });
});

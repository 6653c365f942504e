import { describe, expect, it } from 'vitest';
import { testBackends } from '../helpers/backends.ts';
import { useHarness } from './coordinator-harness.ts';

/**
 * The session limits (docs/decisions/2026-12-04-agent-tree-limits.md), raced with concurrent
 * requests; on Postgres they truly run in parallel.
 */
describe.each(testBackends())('session limits on $name', (backend) => {
  const { harness } = useHarness(backend);

  const spawn = (zoneId: string, token: string, body: Record<string, unknown> = {}) =>
    harness.call({ method: 'POST', url: `/zones/${zoneId}/agents`, token, body });

  it('lets exactly 50 of 60 concurrent spawns of one application in one zone through', async () => {
    const token = await harness.mint({ zoneId: 'zone_limits', clientId: 'app_crowd' });
    const responses = await Promise.all(Array.from({ length: 60 }, () => spawn('zone_limits', token)));
    const statuses = responses.map((response) => response.statusCode);
    expect(statuses.filter((status) => status === 201)).toHaveLength(50);
    const refused = responses.filter((response) => response.statusCode !== 201);
    expect(refused).toHaveLength(10);
    for (const response of refused) {
      expect(response.statusCode).toBe(409);
      expect(response.json()).toMatchObject({ error: 'limit_exceeded' });
      expect(response.json().error_description).toContain('active sessions per zone per application');
    }
    // Terminating one frees its seat; suspended sessions keep theirs.
    const first = responses.find((response) => response.statusCode === 201)!.json().agent_session_id;
    const second = responses.filter((response) => response.statusCode === 201)[1]!.json().agent_session_id;
    await harness.call({ method: 'POST', url: `/zones/zone_limits/agents/${second}/suspend`, token });
    expect((await spawn('zone_limits', token)).statusCode).toBe(409);
    await harness.call({ method: 'DELETE', url: `/zones/zone_limits/agents/${first}`, token });
    expect((await spawn('zone_limits', token)).statusCode).toBe(201);
    expect((await spawn('zone_limits', token)).statusCode).toBe(409);
  });

  it('never refuses a spawn below the limit: 50 workers spawning and terminating at once, seats always reused', async () => {
    // Each worker holds at most one live session, so all 50 seats can be taken but never more:
    // a seat lost or skipped under contention would surface as a refused spawn.
    const token = await harness.mint({ zoneId: 'zone_churn', clientId: 'app_churn' });
    const refusals: string[] = [];
    const worker = async () => {
      for (let cycle = 0; cycle < 8; cycle++) {
        const spawned = await spawn('zone_churn', token);
        if (spawned.statusCode !== 201) {
          refusals.push(spawned.body);
          continue;
        }
        const ended = await harness.call({ method: 'DELETE', url: `/zones/zone_churn/agents/${spawned.json().agent_session_id}`, token });
        expect(ended.statusCode, ended.body).toBe(200);
      }
    };
    await Promise.all(Array.from({ length: 50 }, worker));
    expect(refusals).toEqual([]);
    const held = await harness.database.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM agent_session_seats WHERE application_id = 'app_churn' AND holder_session_id IS NOT NULL`,
    );
    expect(held.rows[0]!.count).toBe(0);
  });

  it('lets exactly 10 of 12 concurrent children of one parent through', async () => {
    const token = await harness.mint({ zoneId: 'zone_children', clientId: 'app_family', scopes: ['agent:lifecycle', 'tools:call'] });
    const parent = (await spawn('zone_children', token)).json().agent_session_id;
    const responses = await Promise.all(Array.from({ length: 12 }, () => spawn('zone_children', token, { parent_id: parent })));
    expect(responses.filter((response) => response.statusCode === 201)).toHaveLength(10);
    for (const response of responses.filter((item) => item.statusCode !== 201)) {
      expect(response.statusCode).toBe(409);
      expect(response.json().error_description).toContain('children per session');
    }
    const parentRow = await harness.call({ method: 'GET', url: `/zones/zone_children/agents/${parent}`, token });
    expect(parentRow.json().live_children).toBe(10);
    const epochEvents = await harness.database.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM caracal_outbox WHERE event_type = 'edge_create' AND payload->>'source_session_id' = $1`,
      [parent],
    );
    expect(epochEvents.rows[0]!.count).toBe(10);
  });

  it('refuses a child below depth 10', async () => {
    const token = await harness.mint({ zoneId: 'zone_depth', clientId: 'app_deep', scopes: ['agent:lifecycle', 'tools:call'] });
    let parent = (await spawn('zone_depth', token)).json().agent_session_id;
    for (let depth = 1; depth <= 10; depth += 1) {
      const child = await spawn('zone_depth', token, { parent_id: parent });
      expect(child.statusCode, child.body).toBe(201);
      expect(child.json().depth).toBe(depth);
      parent = child.json().agent_session_id;
    }
    const tooDeep = await spawn('zone_depth', token, { parent_id: parent });
    expect(tooDeep.statusCode).toBe(409);
    expect(tooDeep.json()).toMatchObject({ error: 'limit_exceeded' });
    expect(tooDeep.json().error_description).toContain('depth 10');
  });

  it('caps an application at 200 live sessions across zones, under concurrency', async () => {
    const zones = ['zone_w1', 'zone_w2', 'zone_w3', 'zone_w4', 'zone_w5'];
    const tokens = await Promise.all(zones.map((zoneId) => harness.mint({ zoneId, clientId: 'app_wide' })));
    const responses = await Promise.all(
      zones.flatMap((zoneId, index) => Array.from({ length: 45 }, () => spawn(zoneId, tokens[index]!))),
    );
    expect(responses.filter((response) => response.statusCode === 201)).toHaveLength(200);
    const refused = responses.filter((response) => response.statusCode !== 201);
    expect(refused).toHaveLength(25);
    for (const response of refused) {
      expect(response.statusCode).toBe(409);
      expect(response.json().error_description).toContain('active sessions per application');
    }
    const live = await harness.database.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM agent_sessions WHERE application_id = 'app_wide' AND status <> 'terminated'`,
    );
    expect(live.rows[0]!.count).toBe(200);
  });
});

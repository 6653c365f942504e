import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../helpers/backends.ts';
import { outboxEvents, startHarness, type Harness } from './coordinator-harness.ts';

const ZONE = 'zone_sessions';

describe.each(testBackends())('agent sessions on $name', (backend) => {
  let harness: Harness;
  let token: string;

  beforeAll(async () => {
    harness = await startHarness(backend);
    token = await harness.mint({ zoneId: ZONE, clientId: 'app_one', scopes: ['agent:lifecycle', 'tools:call', 'files:read'] });
  }, 120_000);
  afterAll(async () => {
    await harness?.close();
  });

  const spawn = (body: Record<string, unknown> = {}, bearer = token) =>
    harness.call({ method: 'POST', url: `/zones/${ZONE}/agents`, token: bearer, body });

  it('spawns a root session and answers 201 with the DESIGN §4 fields', async () => {
    const response = await spawn({ kind: 'ephemeral', labels: { team: 'a' } });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({
      zone_id: ZONE,
      application_id: 'app_one',
      parent_id: null,
      kind: 'ephemeral',
      status: 'active',
      depth: 0,
      expires_at: null,
      delegation_edge_id: null,
    });
    expect(body.agent_session_id).toMatch(/^agentsess_/);
    expect(await outboxEvents(harness.database, { type: 'session_spawned', sessionId: body.agent_session_id })).toHaveLength(1);
  });

  it('spawns a child that inherits an edge from its parent, and terminates the subtree', async () => {
    const root = (await spawn()).json();
    const child = await spawn({ parent_id: root.agent_session_id });
    expect(child.statusCode).toBe(201);
    expect(child.json()).toMatchObject({ depth: 1, parent_id: root.agent_session_id });
    expect(child.json().delegation_edge_id).toMatch(/^deledge_/);
    const terminated = await harness.call({ method: 'DELETE', url: `/zones/${ZONE}/agents/${root.agent_session_id}`, token });
    expect(terminated.statusCode).toBe(200);
    expect(terminated.json()).toEqual({ terminated_sessions: 2, revoked_edges: 1 });
  });
});

import { describe, expect, it } from 'vitest';
import { testBackends } from '../helpers/backends.ts';
import { useHarness } from './coordinator-harness.ts';

const ZONE = 'zone_dry_run';

describe.each(testBackends())('dry-run impact on $name', (backend) => {
  const { harness, tokens } = useHarness(backend, { zoneId: ZONE, seats: 500, tokens: {
    alpha: { clientId: 'app_alpha', scopes: ['agent:lifecycle', 'tools:call'] },
    beta: { clientId: 'app_beta', scopes: ['agent:lifecycle', 'tools:call'] },
  } });

  /** Spawn edges (parent to child) by child, as spawns answer them. */
  const spawnEdges = new Map<string, string>();
  async function spawn(token: string, parentId?: string): Promise<string> {
    const body = parentId === undefined ? {} : { parent_id: parentId };
    const response = await harness.call({ method: 'POST', url: `/zones/${ZONE}/agents`, token, body });
    expect(response.statusCode, response.body).toBe(201);
    const spawned = response.json<{ agent_session_id: string; delegation_edge_id: string | null }>();
    if (spawned.delegation_edge_id !== null) spawnEdges.set(spawned.agent_session_id, spawned.delegation_edge_id);
    return spawned.agent_session_id;
  }
  async function edge(token: string, source: string, target: string): Promise<string> {
    const body = { source_session_id: source, target_session_id: target, scopes: ['tools:call'] };
    const response = await harness.call({ method: 'POST', url: `/zones/${ZONE}/delegations`, token, body });
    expect(response.statusCode, response.body).toBe(201);
    return response.json().delegation_edge_id as string;
  }

  /** A root of app_alpha with a child and a grandchild, app_beta's root and child, and edges across. */
  async function story() {
    const root = await spawn(tokens.alpha);
    const child = await spawn(tokens.alpha, root);
    const grandchild = await spawn(tokens.alpha, child);
    const betaRoot = await spawn(tokens.beta);
    const betaChild = await spawn(tokens.beta, betaRoot);
    const other = await spawn(tokens.alpha);
    const toBeta = await edge(tokens.alpha, root, betaRoot);
    const childToBeta = await edge(tokens.alpha, child, betaChild);
    const grandchildToOther = await edge(tokens.alpha, grandchild, other);
    return { root, child, grandchild, betaRoot, betaChild, other, toBeta, childToBeta, grandchildToOther };
  }

  /** Everything an action may change, so a dry run can be shown to change none of it. */
  async function state(): Promise<unknown> {
    const read = async (sql: string) => (await harness.database.query(sql, [ZONE])).rows;
    return {
      sessions: await read(`SELECT id, status, revision, live_children, suspended_at, terminated_at FROM agent_sessions WHERE zone_id = $1 ORDER BY id`),
      edges: await read(`SELECT id, status, edge_version FROM delegation_edges WHERE zone_id = $1 ORDER BY id`),
      epochs: await read(`SELECT epoch FROM delegation_graph_epochs WHERE zone_id = $1`),
      outbox: await read(`SELECT count(*)::int AS n FROM caracal_outbox WHERE zone_id = $1`),
      timeline: await read(`SELECT count(*)::int AS n FROM session_events WHERE zone_id = $1`),
    };
  }
  const idsWith = async (table: 'agent_sessions' | 'delegation_edges', status: string) =>
    (await harness.database.query<{ id: string }>(`SELECT id FROM ${table} WHERE zone_id = $1 AND status = $2 ORDER BY id`, [ZONE, status])).rows.map(
      (row) => row.id,
    );
  /** The ids that entered `status` between two readings. */
  const added = (before: string[], after: string[]) => after.filter((id) => !before.includes(id)).sort();

  /** A dry run's 200 answer, checked to have changed nothing. */
  async function unchangedBy(dryRun: () => Promise<{ statusCode: number; body: string; json(): unknown }>) {
    const before = await state();
    const answer = await dryRun();
    expect(answer.statusCode, answer.body).toBe(200);
    expect(await state()).toEqual(before);
    return answer.json() as { session_ids: string[]; edge_ids: string[] };
  }

  /** Runs the real action and checks that the sessions it terminated and the edges it revoked are the dry run's. */
  async function expectCascade(impact: { session_ids: string[]; edge_ids: string[] }, action: () => Promise<{ json(): unknown }>, answer: object) {
    const [sessionsBefore, edgesBefore] = [await idsWith('agent_sessions', 'terminated'), await idsWith('delegation_edges', 'revoked')];
    expect((await action()).json()).toEqual(answer);
    expect(added(sessionsBefore, await idsWith('agent_sessions', 'terminated'))).toEqual(impact.session_ids);
    expect(added(edgesBefore, await idsWith('delegation_edges', 'revoked'))).toEqual(impact.edge_ids);
  }

  const terminate = (id: string, query = '', token = tokens.alpha) =>
    harness.call({ method: 'DELETE', url: `/zones/${ZONE}/agents/${id}${query}`, token });
  const act = (id: string, action: 'suspend' | 'resume', query = '', token = tokens.alpha) =>
    harness.call({ method: 'POST', url: `/zones/${ZONE}/agents/${id}/${action}${query}`, token });
  const revoke = (id: string, query = '', token = tokens.alpha) =>
    harness.call({ method: 'POST', url: `/zones/${ZONE}/delegations/${id}/revoke${query}`, token });

  it('a terminate dry run answers the sets the terminate then changes, and changes nothing', async () => {
    const s = await story();
    const impact = await unchangedBy(() => terminate(s.child, '?dry_run=true'));
    const edges = [s.childToBeta, s.grandchildToOther, spawnEdges.get(s.child), spawnEdges.get(s.grandchild)].sort();
    expect(impact).toEqual({ dry_run: true, terminated_sessions: 2, revoked_edges: 4, session_ids: [s.child, s.grandchild].sort(), edge_ids: edges });

    await expectCascade(impact, () => terminate(s.child, '?dry_run=false'), { terminated_sessions: 2, revoked_edges: 4 });

    // Once done, a dry run answers that nothing is left to change.
    expect((await terminate(s.child, '?dry_run=true')).json()).toEqual({
      dry_run: true, terminated_sessions: 0, revoked_edges: 0, session_ids: [], edge_ids: [],
    });
  });

  it('a revoke dry run answers the cascade the revoke then performs, and changes nothing', async () => {
    const s = await story();
    const impact = await unchangedBy(() => revoke(s.toBeta, '?dry_run=true'));
    expect(impact).toEqual({
      dry_run: true,
      revoked_edges: 3,
      affected_sessions: 2,
      edge_ids: [s.toBeta, s.childToBeta, spawnEdges.get(s.betaChild)].sort(),
      session_ids: [s.betaRoot, s.betaChild].sort(),
    });

    await expectCascade(impact, () => revoke(s.toBeta), { revoked_edges: 3, affected_sessions: 2 });
  });

  it('suspend and resume dry runs answer the sessions the actions then move, and change nothing', async () => {
    const s = await story();
    const suspendImpact = await unchangedBy(() => act(s.root, 'suspend', '?dry_run=true'));
    expect(suspendImpact).toEqual({ dry_run: true, suspended: 3, session_ids: [s.root, s.child, s.grandchild].sort() });
    const suspendedBefore = await idsWith('agent_sessions', 'suspended');
    expect((await act(s.root, 'suspend')).json()).toEqual({ suspended: 3 });
    expect(added(suspendedBefore, await idsWith('agent_sessions', 'suspended'))).toEqual(suspendImpact.session_ids);

    const resumeImpact = await unchangedBy(() => act(s.root, 'resume', '?dry_run=true'));
    expect(resumeImpact).toEqual({ dry_run: true, resumed: 3, session_ids: suspendImpact.session_ids });
    const activeBefore = await idsWith('agent_sessions', 'active');
    expect((await act(s.root, 'resume')).json()).toEqual({ resumed: 3 });
    expect(added(activeBefore, await idsWith('agent_sessions', 'active'))).toEqual(resumeImpact.session_ids);
  });

  it('a dry run is refused exactly as the action: another application, unknown ids, a terminated session', async () => {
    const s = await story();
    const before = await state();
    for (const [dry, real] of [
      [await terminate(s.root, '?dry_run=true', tokens.beta), await terminate(s.root, '', tokens.beta)],
      [await act(s.root, 'suspend', '?dry_run=true', tokens.beta), await act(s.root, 'suspend', '', tokens.beta)],
      [await revoke(s.toBeta, '?dry_run=true', tokens.beta), await revoke(s.toBeta, '', tokens.beta)],
      [await terminate('agentsess_0000000000aaaaaaaaaaaaaaaa', '?dry_run=true'), await terminate('agentsess_0000000000aaaaaaaaaaaaaaaa')],
      [await revoke('deledge_0000000000aaaaaaaaaaaaaaaa', '?dry_run=true'), await revoke('deledge_0000000000aaaaaaaaaaaaaaaa')],
    ]) {
      expect(dry!.statusCode).toBeGreaterThanOrEqual(400);
      expect([dry!.statusCode, dry!.json()]).toEqual([real!.statusCode, real!.json()]);
    }
    expect(await state()).toEqual(before);
    await terminate(s.other);
    const [dry, real] = [await act(s.other, 'suspend', '?dry_run=true'), await act(s.other, 'suspend')];
    expect([dry.statusCode, dry.json()]).toEqual([409, real.json()]);
  });

  it('refuses a dry_run that is not true or false with 400, changing nothing', async () => {
    const s = await story();
    const before = await state();
    for (const query of ['?dry_run=yes', '?dry_run=1', '?dry_run=', '?dry_run=TRUE', '?dry_run=true&dry_run=true', '?dry_run=true&x=1']) {
      for (const response of [await terminate(s.root, query), await act(s.root, 'suspend', query), await revoke(s.toBeta, query)]) {
        expect(response.statusCode, query).toBe(400);
        expect(response.json()).toMatchObject({ error: 'invalid_request', error_description: expect.any(String) });
      }
    }
    expect(await state()).toEqual(before);
  });
});

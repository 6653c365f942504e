import { TIMELINE_TOPIC } from '@caracal/protocol';
import { describe, expect, it } from 'vitest';
import { expireSessionsAndEdges } from '../../../src/coordinator/maintenance/index.ts';
import { readSeedSessions, seedSessionView } from '../../../src/coordinator/timeline/seed-session.ts';
import { sessionEventView, type SessionEventRow } from '../../../src/coordinator/timeline/timeline-entry.ts';
import { testBackends } from '../../helpers/backends.ts';
import { timelineFacts } from '../../helpers/timeline-facts.ts';
import { useHarness } from '../coordinator-harness.ts';

const ZONE = 'zone_lifecycle_facts';

describe.each(testBackends())('the Coordinator records its facts on the timelines on $name', (backend) => {
  const { harness, tokens } = useHarness(backend, { zoneId: ZONE, seats: 100, tokens: {
    alpha: { clientId: 'app_alpha', scopes: ['agent:lifecycle', 'tools:call'] },
    beta: { clientId: 'app_beta', scopes: ['agent:lifecycle', 'tools:call'] },
  } });

  async function spawn(body: Record<string, unknown> = {}, token = tokens.alpha): Promise<{ id: string; edge: string | null }> {
    const response = await harness.call({ method: 'POST', url: `/zones/${ZONE}/agents`, token, body });
    expect(response.statusCode, response.body).toBe(201);
    return { id: response.json().agent_session_id, edge: response.json().delegation_edge_id };
  }
  const act = (id: string, action: 'suspend' | 'resume', token = tokens.alpha) =>
    harness.call({ method: 'POST', url: `/zones/${ZONE}/agents/${id}/${action}`, token });
  const terminate = (id: string, token = tokens.alpha) => harness.call({ method: 'DELETE', url: `/zones/${ZONE}/agents/${id}`, token });

  const timeline = (sessionId: string) => timelineFacts(harness.database, sessionId);
  const types = async (sessionId: string) => (await timeline(sessionId)).map((fact) => fact.event_type);
  async function eventCount(): Promise<number> {
    const { rows } = await harness.database.query<{ count: number }>('SELECT count(*)::int AS count FROM session_events');
    return rows[0]!.count;
  }
  /** The seed feeds' session messages (`change`) about `sessionId`, oldest first. */
  async function sessionChanges(change: 'session_created' | 'session_updated', sessionId: string): Promise<Array<Record<string, unknown>>> {
    const { rows } = await harness.database.query<{ payload: { session: Record<string, unknown> } }>(
      `SELECT payload FROM caracal_outbox WHERE topic = $1 AND event_type = $2 AND payload -> 'session' ->> 'session_id' = $3 ORDER BY id`,
      [TIMELINE_TOPIC, change, sessionId],
    );
    return rows.map((row) => row.payload.session);
  }

  it('records a spawn on the new session, and an inherited edge on the parent and the child', async () => {
    const root = await spawn();
    const child = await spawn({ parent_id: root.id });
    expect(await timeline(root.id)).toEqual([
      { event_type: 'session_spawned', source: 'coordinator', application_id: 'app_alpha', details: expect.objectContaining({ parent_id: null, depth: 0 }) },
      { event_type: 'edge_created', source: 'coordinator', application_id: 'app_alpha', details: expect.objectContaining({
        delegation_edge_id: child.edge, source_session_id: root.id, target_session_id: child.id, scopes: ['tools:call'], origin: 'spawn' }) },
    ]);
    expect(await timeline(child.id)).toEqual([
      { event_type: 'session_spawned', source: 'coordinator', application_id: 'app_alpha',
        details: expect.objectContaining({ parent_id: root.id, depth: 1, delegation_edge_id: child.edge }) },
      { event_type: 'edge_created', source: 'coordinator', application_id: 'app_alpha', details: expect.objectContaining({ delegation_edge_id: child.edge }) },
    ]);
    const created = await sessionChanges('session_created', child.id);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ session_id: child.id, authority_status: 'active', parent_session_id: root.id, depth: 1 });
  });

  it('writes the same outbox payloads as appendTimelineEvents and enqueueSessionChanges', async () => {
    const root = await spawn();
    const { rows } = await harness.database.query<SessionEventRow>('SELECT * FROM session_events WHERE session_id = $1', [root.id]);
    const { rows: feed } = await harness.database.query<{ payload: Record<string, unknown> }>(
      `SELECT payload FROM caracal_outbox WHERE topic = $1 AND event_type = 'session_event' AND payload ->> 'session_id' = $2`,
      [TIMELINE_TOPIC, root.id],
    );
    expect(feed.map((row) => row.payload)).toEqual(rows.map((row) => ({ ...sessionEventView(row), zone_id: ZONE, application_id: 'app_alpha' })));
    const [seed] = await readSeedSessions(harness.database, [root.id]);
    expect(await sessionChanges('session_created', root.id)).toEqual([seedSessionView(seed!)]);
  });

  it('records a suspension and a resumption on every session of the subtree, parents first', async () => {
    const root = await spawn();
    const child = await spawn({ parent_id: root.id });
    const grandchild = await spawn({ parent_id: child.id });
    const rootBefore = await types(root.id);
    expect((await act(child.id, 'suspend')).statusCode).toBe(200);
    expect((await act(child.id, 'resume')).statusCode).toBe(200);
    expect(await types(root.id)).toEqual(rootBefore);
    expect((await timeline(child.id)).slice(-2)).toEqual([
      { event_type: 'session_suspended', source: 'coordinator', application_id: 'app_alpha',
        details: { subtree_root_id: child.id, requested_by: { application_id: 'app_alpha', admin: false } } },
      { event_type: 'session_resumed', source: 'coordinator', application_id: 'app_alpha',
        details: { subtree_root_id: child.id, requested_by: { application_id: 'app_alpha', admin: false } } },
    ]);
    expect(await types(grandchild.id)).toEqual(['session_spawned', 'edge_created', 'session_suspended', 'session_resumed']);
    const { rows } = await harness.database.query<{ session_id: string }>(
      `SELECT session_id FROM session_events WHERE event_type = 'session_suspended' AND session_id = ANY ($1::text[]) ORDER BY id`,
      [[child.id, grandchild.id]],
    );
    expect(rows.map((row) => row.session_id)).toEqual([child.id, grandchild.id]);
    for (const id of [child.id, grandchild.id]) {
      expect((await sessionChanges('session_updated', id)).map((session) => session.authority_status)).toEqual(['suspended', 'active']);
    }
    expect(await sessionChanges('session_updated', root.id)).toEqual([]);
  });

  it('records a subtree termination with its reason and every revoked edge on both of its sessions', async () => {
    const root = await spawn();
    const child = await spawn({ parent_id: root.id });
    const grandchild = await spawn({ parent_id: child.id });
    const response = await terminate(child.id);
    expect(response.statusCode, response.body).toBe(200);
    const revoked = (edge: string | null) => expect.objectContaining({ delegation_edge_id: edge, reason: 'terminated' });
    expect((await timeline(root.id)).slice(2)).toEqual([
      { event_type: 'edge_revoked', source: 'coordinator', application_id: 'app_alpha', details: revoked(child.edge) },
    ]);
    expect((await timeline(child.id)).slice(3)).toEqual([
      { event_type: 'session_terminated', source: 'coordinator', application_id: 'app_alpha', details: expect.objectContaining({
        reason: 'terminated', parent_session_id: root.id, requested_by: { application_id: 'app_alpha', admin: false } }) },
      { event_type: 'edge_revoked', source: 'coordinator', application_id: 'app_alpha', details: revoked(child.edge) },
      { event_type: 'edge_revoked', source: 'coordinator', application_id: 'app_alpha', details: revoked(grandchild.edge) },
    ]);
    expect(await types(grandchild.id)).toEqual(['session_spawned', 'edge_created', 'session_terminated', 'edge_revoked']);
    for (const id of [child.id, grandchild.id]) {
      expect((await sessionChanges('session_updated', id)).map((session) => session.authority_status)).toEqual(['terminated']);
    }
    expect(await sessionChanges('session_updated', root.id)).toEqual([]);
    // Terminating again changes nothing, so records nothing.
    const count = await eventCount();
    expect((await terminate(child.id)).statusCode).toBe(200);
    expect(await eventCount()).toBe(count);
  });

  it('records an explicit edge on both sessions, and its revocation with the downstream cascade', async () => {
    const source = await spawn();
    const target = await spawn({}, tokens.beta);
    const created = await harness.call({ method: 'POST', url: `/zones/${ZONE}/delegations`, token: tokens.alpha, body: {
      source_session_id: source.id, target_session_id: target.id, scopes: ['tools:call'], ttl_seconds: 600 } });
    expect(created.statusCode, created.body).toBe(201);
    const edge = created.json().delegation_edge_id as string;
    const downstream = await spawn({ parent_id: target.id }, tokens.beta);
    const createdFact = (applicationId: string) => ({ event_type: 'edge_created', source: 'coordinator', application_id: applicationId,
      details: expect.objectContaining({ delegation_edge_id: edge, source_session_id: source.id, target_session_id: target.id, origin: 'delegation' }) });
    expect((await timeline(source.id)).slice(1)).toEqual([createdFact('app_alpha')]);
    expect((await timeline(target.id)).slice(1, 2)).toEqual([createdFact('app_beta')]);

    const revoke = await harness.call({ method: 'POST', url: `/zones/${ZONE}/delegations/${edge}/revoke`, token: tokens.alpha });
    expect(revoke.statusCode, revoke.body).toBe(200);
    expect(await types(source.id)).toEqual(['session_spawned', 'edge_created', 'edge_revoked']);
    expect(await types(target.id)).toEqual(['session_spawned', 'edge_created', 'edge_created', 'session_terminated', 'edge_revoked', 'edge_revoked']);
    expect(await types(downstream.id)).toEqual(['session_spawned', 'edge_created', 'session_terminated', 'edge_revoked']);
    const targetFacts = await timeline(target.id);
    expect(targetFacts[3]!.details).toMatchObject({ reason: 'delegation_revoked' });
    expect(targetFacts.slice(4).map((fact) => fact.details.delegation_edge_id)).toEqual([edge, downstream.edge]);
    expect((await sessionChanges('session_updated', downstream.id)).map((session) => session.authority_status)).toEqual(['terminated']);
    expect(await sessionChanges('session_updated', source.id)).toEqual([]);
  });

  it('records an expiry as a termination with reason expired', async () => {
    const expiring = await spawn({ ttl_seconds: 60 });
    harness.clock.advance(120_000);
    await expireSessionsAndEdges(harness.database, new Date(harness.clock.now()));
    expect((await timeline(expiring.id)).at(-1)).toMatchObject({ event_type: 'session_terminated', details: { reason: 'expired', requested_by: null } });
  });

  it('records nothing when a change is refused', async () => {
    const root = await spawn();
    const child = await spawn({ parent_id: root.id });
    expect((await terminate(root.id)).statusCode).toBe(200);
    const count = await eventCount();
    const outbox = await harness.database.query<{ count: number }>('SELECT count(*)::int AS count FROM caracal_outbox WHERE topic = $1', [TIMELINE_TOPIC]);
    expect((await harness.call({ method: 'POST', url: `/zones/${ZONE}/agents`, token: tokens.alpha, body: { parent_id: root.id } })).statusCode).toBe(409);
    expect((await act(child.id, 'suspend')).statusCode).toBe(409);
    expect((await act(root.id, 'resume')).statusCode).toBe(409);
    const other = await spawn({}, tokens.beta);
    expect((await terminate(other.id)).statusCode).toBe(403);
    const cycle = await spawn();
    const cycleChild = await spawn({ parent_id: cycle.id });
    const countAfterSpawns = await eventCount();
    const cyclic = await harness.call({ method: 'POST', url: `/zones/${ZONE}/delegations`, token: tokens.alpha, body: {
      source_session_id: cycleChild.id, target_session_id: cycle.id, scopes: ['tools:call'], parent_edge_id: cycleChild.edge, ttl_seconds: 60 } });
    expect(cyclic.statusCode, cyclic.body).toBe(409);
    expect(await eventCount()).toBe(countAfterSpawns);
    // Only the three spawns' facts (one, and two each with an inherited edge) were added.
    expect(countAfterSpawns - count).toBe(1 + 1 + 3);
    const outboxAfter = await harness.database.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM caracal_outbox
       WHERE topic = $1 AND coalesce(payload -> 'session' ->> 'session_id', payload ->> 'session_id') <> ALL ($2::text[])`,
      [TIMELINE_TOPIC, [other.id, cycle.id, cycleChild.id]],
    );
    expect(outboxAfter.rows[0]!.count).toBe(outbox.rows[0]!.count);
  });
});

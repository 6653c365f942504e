import { describe, expect, it } from 'vitest';
import { deleteExpiredTimelineEvents, deleteFinishedHistory, expireSessionsAndEdges } from '../../src/coordinator/maintenance/index.ts';
import { testBackends } from '../helpers/backends.ts';
import { outboxEvents, useHarness } from './coordinator-harness.ts';

const ZONE = 'zone_maintenance';

describe.each(testBackends())('coordinator job functions on $name', (backend) => {
  const { harness, tokens } = useHarness(backend, { zoneId: ZONE, tokens: {
    token: { clientId: 'app_sweep', scopes: ['agent:lifecycle', 'tools:call'] },
  } });

  const spawn = async (body: Record<string, unknown>) =>
    (await harness.call({ method: 'POST', url: `/zones/${ZONE}/agents`, token: tokens.token, body })).json() as { agent_session_id: string; delegation_edge_id: string };
  const session = async (id: string) => (await harness.call({ method: 'GET', url: `/zones/${ZONE}/agents/${id}`, token: tokens.token })).json();
  const now = () => new Date(harness.clock.now());

  it('terminates sessions past their TTL with their subtree and marks expired edges', async () => {
    const shortLived = await spawn({ ttl_seconds: 60 });
    const child = await spawn({ parent_id: shortLived.agent_session_id });
    const longLived = await spawn({ ttl_seconds: 3600 });
    const [a, b] = [await spawn({}), await spawn({})];
    const edge = await harness.call({
      method: 'POST',
      url: `/zones/${ZONE}/delegations`,
      token: tokens.token,
      body: { source_session_id: a.agent_session_id, target_session_id: b.agent_session_id, scopes: ['tools:call'], ttl_seconds: 90 },
    });
    expect(await expireSessionsAndEdges(harness.database, now())).toEqual({ terminatedSessions: 0, expiredEdges: 0 });
    harness.clock.advance(61_000);
    // The child's inherited edge dies with the subtree; the explicit edge has 29 s left.
    expect(await expireSessionsAndEdges(harness.database, now())).toEqual({ terminatedSessions: 2, expiredEdges: 0 });
    expect(await session(child.agent_session_id)).toMatchObject({ status: 'terminated', termination_reason: 'expired' });
    expect(await outboxEvents(harness.database, { type: 'session_revoked', sessionId: child.agent_session_id })).toHaveLength(1);
    expect((await session(longLived.agent_session_id)).status).toBe('active');
    harness.clock.advance(30_000);
    expect(await expireSessionsAndEdges(harness.database, now())).toEqual({ terminatedSessions: 0, expiredEdges: 1 });
    const read = await harness.call({ method: 'GET', url: `/zones/${ZONE}/delegations/${edge.json().id}`, token: tokens.token });
    expect(read.json().status).toBe('expired');
    expect(await outboxEvents(harness.database, { type: 'edge_expire', sessionId: edge.json().id })).toHaveLength(1);
    expect(await expireSessionsAndEdges(harness.database, now())).toEqual({ terminatedSessions: 0, expiredEdges: 0 });
  });

  it('deletes finished history older than the window and keeps everything live', async () => {
    const finished = await spawn({});
    const child = await spawn({ parent_id: finished.agent_session_id });
    const live = await spawn({});
    await harness.call({ method: 'DELETE', url: `/zones/${ZONE}/agents/${finished.agent_session_id}`, token: tokens.token });
    const cutoff = new Date(harness.clock.now() + 1);
    // As the retention job does: timelines first, since a terminated session stays while its timeline does.
    await deleteExpiredTimelineEvents(harness.database, cutoff);
    const deleted = await deleteFinishedHistory(harness.database, cutoff);
    expect(deleted.sessions).toBeGreaterThanOrEqual(2);
    expect(deleted.edges).toBeGreaterThanOrEqual(1);
    expect((await harness.call({ method: 'GET', url: `/zones/${ZONE}/agents/${child.agent_session_id}`, token: tokens.token })).statusCode).toBe(404);
    expect((await session(live.agent_session_id)).status).toBe('active');
    expect(await deleteFinishedHistory(harness.database, cutoff)).toEqual({ sessions: 0, edges: 0, invocations: 0, services: 0, receipts: 0 });
  });
});

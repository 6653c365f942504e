import { TIMELINE_TOPIC } from '@caracal/protocol';
import { describe, expect, it } from 'vitest';
import { testBackends } from '../../helpers/backends.ts';
import { seedFeedSessions } from '../../../src/coordinator/timeline/seed-feed-sessions.ts';
import { allEventIds, useSeedHarness } from './seed-calls.ts';

const ZONE = 'zone_delete';

describe.each(testBackends())('deleting seed sessions on $name', (backend) => {
  const { harness, tokens, seed } = useSeedHarness(backend, ZONE);
  const eventsOf = async (ids: readonly string[]) =>
    (await harness.database.query<{ id: string }>('SELECT id FROM session_events WHERE session_id = ANY ($1::text[]) ORDER BY id', [ids])).rows.length;

  it('refuses with 409 session_active while running or idle, and changes nothing', async () => {
    const { session_id: id } = await seed.create(tokens.one);
    await seed.post(tokens.one, id, { event_type: 'run_start' });
    const before = await allEventIds(harness);
    const running = await seed.call('DELETE', `/sessions/${id}`, tokens.one);
    expect(running.statusCode).toBe(409);
    expect(running.json()).toMatchObject({ error: 'session_active', error_description: expect.stringContaining('stop it first') });
    await seed.post(tokens.one, id, { event_type: 'run_completed', session_status: 'idle' });
    const idle = await seed.call('DELETE', `/sessions/${id}`, tokens.one);
    expect(idle.statusCode).toBe(409);
    expect(await seed.status(tokens.one, id)).toBe('idle');
    expect((await allEventIds(harness)).length).toBe(before.length + 1);
  });

  it('removes exactly that session\'s events and hides it; other sessions keep theirs', async () => {
    const done = await seed.create(tokens.one);
    const kept = await seed.create(tokens.one);
    await seed.post(tokens.one, done.session_id, [{ event_type: 'run_start' }, { event_type: 'message' }, { event_type: 'run_completed' }]);
    await seed.post(tokens.one, kept.session_id, [{ event_type: 'message' }, { event_type: 'message' }]);
    const keptBefore = (await seed.call('GET', `/sessions/${kept.session_id}/events`, tokens.one)).json();
    // Its timeline: the three events posted and the server's own facts (spawned, terminated).
    const itsEvents = await eventsOf([done.session_id]);
    expect(itsEvents).toBeGreaterThanOrEqual(3);
    const othersBefore = (await allEventIds(harness)).length - itsEvents;
    const response = await seed.call('DELETE', `/sessions/${done.session_id}`, tokens.one);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ ok: true, session_id: done.session_id, deleted_sessions: [done.session_id], deleted_events: itsEvents });
    expect(await eventsOf([done.session_id])).toBe(0);
    expect((await allEventIds(harness)).length).toBe(othersBefore);
    expect((await seed.call('GET', `/sessions/${kept.session_id}/events`, tokens.one)).json()).toEqual(keptBefore);
    expect((await seed.call('GET', `/sessions/${done.session_id}`, tokens.one)).statusCode).toBe(404);
    expect(await seed.status(tokens.one, done.session_id)).toBe('not_existent');
    const listed = (await seed.call('GET', '/sessions?limit=500', tokens.one)).json().sessions.map((session: { session_id: string }) => session.session_id);
    expect(listed).not.toContain(done.session_id);
    expect(listed).toContain(kept.session_id);
    const feedInit = await seedFeedSessions(harness.database).list({ zoneId: ZONE, viewer: { operator: true }, sessionId: undefined });
    expect(feedInit.map((session) => session.session_id)).not.toContain(done.session_id);
    expect(feedInit.map((session) => session.session_id)).toContain(kept.session_id);
    // The Caracal record stays for the Coordinator's history.
    const record = await harness.call({ method: 'GET', url: `/zones/${ZONE}/agents/${done.session_id}`, token: tokens.one });
    expect(record.json()).toMatchObject({ status: 'terminated' });
    const deleted = await harness.database.query<{ payload: Record<string, unknown> }>(
      `SELECT payload FROM caracal_outbox WHERE topic = $1 AND event_type = 'session_deleted' AND payload->>'session_id' = $2`,
      [TIMELINE_TOPIC, done.session_id],
    );
    expect(deleted.rows.map((row) => row.payload)).toEqual([{ session_id: done.session_id, zone_id: ZONE, application_id: 'app_one' }]);
    expect((await seed.call('DELETE', `/sessions/${done.session_id}`, tokens.one)).statusCode).toBe(404);
  });

  it('deletes a pending session by ending its authority first (revocation pushed)', async () => {
    const { session_id: id } = await seed.create(tokens.one);
    const response = await seed.call('DELETE', `/sessions/${id}`, tokens.one);
    expect(response.statusCode).toBe(200);
    const revoked = await harness.database.query<{ payload: { reason: string } }>(
      `SELECT payload FROM caracal_outbox WHERE event_type = 'session_revoked' AND payload->>'agent_session_id' = $1`,
      [id],
    );
    expect(revoked.rows.map((row) => row.payload.reason)).toEqual(['deleted']);
  });

  it('takes the subtree with it: children are deleted too, never left pointing at a deleted parent', async () => {
    const parent = await seed.create(tokens.one);
    const child = await seed.create(tokens.one, { parent_session_id: parent.session_id });
    const grandchild = await seed.create(tokens.one, { parent_session_id: child.session_id });
    const bystander = await seed.create(tokens.one);
    await seed.post(tokens.one, child.session_id, { event_type: 'message' });
    await seed.post(tokens.one, grandchild.session_id, [{ event_type: 'message' }, { event_type: 'message' }]);
    await seed.post(tokens.one, bystander.session_id, { event_type: 'message' });
    const bystanderEvents = await eventsOf([bystander.session_id]);

    // A running descendant holds the whole delete back.
    await seed.post(tokens.one, grandchild.session_id, { event_type: 'run_start' });
    const subtreeEvents = await eventsOf([parent.session_id, child.session_id, grandchild.session_id]);
    const refused = await seed.call('DELETE', `/sessions/${parent.session_id}`, tokens.one);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error_description).toContain(grandchild.session_id);
    expect(await eventsOf([parent.session_id, child.session_id, grandchild.session_id])).toBe(subtreeEvents);
    await seed.post(tokens.one, grandchild.session_id, { event_type: 'run_failed' });

    const response = await seed.call('DELETE', `/sessions/${parent.session_id}`, tokens.one);
    expect(response.statusCode, response.body).toBe(200);
    const answer = response.json();
    expect(answer.session_id).toBe(parent.session_id);
    expect(answer.deleted_sessions[0]).toBe(parent.session_id);
    expect([...answer.deleted_sessions].sort()).toEqual([parent.session_id, child.session_id, grandchild.session_id].sort());
    // Everything their timelines held at the delete, the server's facts about ending them included.
    expect(answer.deleted_events).toBeGreaterThan(subtreeEvents);
    expect(await eventsOf([parent.session_id, child.session_id, grandchild.session_id])).toBe(0);
    for (const id of [parent.session_id, child.session_id, grandchild.session_id]) {
      expect(await seed.status(tokens.one, id)).toBe('not_existent');
    }
    expect(await eventsOf([bystander.session_id])).toBe(bystanderEvents);
    expect(await seed.status(tokens.one, bystander.session_id)).toBe('pending');
  });

  it('deleting a child leaves its parent; a descendant of another application needs an operator', async () => {
    const parent = await seed.create(tokens.one);
    const child = await seed.create(tokens.one, { parent_session_id: parent.session_id });
    const onlyChild = await seed.call('DELETE', `/sessions/${child.session_id}`, tokens.one);
    expect(onlyChild.json().deleted_sessions).toEqual([child.session_id]);
    expect(await seed.status(tokens.one, parent.session_id)).toBe('pending');

    const root = await seed.create(tokens.one);
    const foreignChild = await seed.create(tokens.operator, { parent_session_id: root.session_id });
    await harness.database.query("UPDATE agent_sessions SET application_id = 'app_two' WHERE id = $1", [foreignChild.session_id]);
    const refused = await seed.call('DELETE', `/sessions/${root.session_id}`, tokens.one);
    expect(refused.statusCode).toBe(403);
    expect(await seed.status(tokens.one, root.session_id)).toBe('pending');
    const byOperator = await seed.call('DELETE', `/sessions/${root.session_id}`, tokens.operator);
    expect(byOperator.statusCode).toBe(200);
    expect(byOperator.json().deleted_sessions.sort()).toEqual([root.session_id, foreignChild.session_id].sort());
  });

  it('a session the Coordinator terminated shows run status stopped, so it can be deleted', async () => {
    const { session_id: id } = await seed.create(tokens.one);
    await seed.post(tokens.one, id, { event_type: 'run_start' });
    const ended = await harness.call({ method: 'DELETE', url: `/zones/${ZONE}/agents/${id}`, token: tokens.one });
    expect(ended.statusCode).toBe(200);
    expect((await seed.call('GET', `/sessions/${id}`, tokens.one)).json().session).toMatchObject({ status: 'stopped', authority_status: 'terminated' });
    expect((await seed.call('DELETE', `/sessions/${id}`, tokens.one)).statusCode).toBe(200);
  });

  it('refuses another application\'s session and a body with 4xx', async () => {
    const { session_id: id } = await seed.create(tokens.one);
    expect((await seed.call('DELETE', `/sessions/${id}`, tokens.two)).statusCode).toBe(404);
    expect((await seed.call('DELETE', `/sessions/${id}`, tokens.one, { force: true })).statusCode).toBe(400);
    expect(await seed.status(tokens.one, id)).toBe('pending');
  });
});

import { describe, expect, it } from 'vitest';
import { testBackends } from '../../helpers/backends.ts';
import { useHarness } from '../coordinator-harness.ts';
import { allEventIds, seedCalls } from './seed-calls.ts';

const ZONE = 'zone_legacy';

describe.each(testBackends())('legacy event routes on $name', (backend) => {
  const { harness, tokens } = useHarness(backend, {
    zoneId: ZONE,
    tokens: { one: { clientId: 'app_one' }, two: { clientId: 'app_two' } },
  });
  const seed = seedCalls(harness);

  it('without session_id creates a session for the event and says so', async () => {
    const response = await seed.call('POST', '/events', tokens.one, { event_type: 'run_start', run_id: 'r1' });
    expect(response.statusCode, response.body).toBe(201);
    const { ok, event, session_created: created } = response.json();
    expect(ok).toBe(true);
    expect(created).toBe(true);
    expect(event).toMatchObject({ event_type: 'run_start', run_id: 'r1', source: 'agent' });
    expect(await seed.status(tokens.one, event.session_id)).toBe('running');
  });

  it('with a session_id appends to that session, and GET /events/{session_id} pages its timeline', async () => {
    const { session_id: id } = await seed.create(tokens.one);
    const ids: number[] = [];
    for (const type of ['a', 'b', 'c']) {
      const response = await seed.call('POST', '/events', tokens.one, { session_id: id, event_type: type });
      expect(response.json().session_created).toBe(false);
      ids.push(response.json().event.id);
    }
    const first = (await seed.call('GET', `/events/${id}?limit=2&source=agent`, tokens.one)).json();
    expect(first.events.map((event: { id: number }) => event.id)).toEqual(ids.slice(0, 2));
    const second = (await seed.call('GET', `/events/${id}?limit=2&source=agent&cursor=${first.next_cursor}`, tokens.one)).json();
    expect(second).toEqual({ events: [expect.objectContaining({ id: ids[2], event_type: 'c' })], next_cursor: null });
  });

  it('never creates a session under an id it does not show: unknown or another application\'s id → 404, nothing written', async () => {
    const theirs = await seed.create(tokens.two);
    const before = await allEventIds(harness);
    const sessions = await harness.database.query('SELECT count(*) FROM agent_sessions');
    for (const sessionId of ['agentsess_0000000000aaaaaaaaaaaaaaaa', theirs.session_id]) {
      const response = await seed.call('POST', '/events', tokens.one, { session_id: sessionId, event_type: 'message' });
      expect(response.statusCode).toBe(404);
      expect(response.json().error).toBe('not_found');
    }
    for (const body of [{ session_id: 'ses_abc', event_type: 'm' }, { event_type: 'm', extra: 1 }, { session_id: theirs.session_id }]) {
      expect((await seed.call('POST', '/events', tokens.one, body)).statusCode).toBe(400);
    }
    const oversized = await seed.call('POST', '/events', tokens.one, { event_type: 'm', result_text: 'x'.repeat(65 * 1024) });
    expect(oversized.statusCode).toBe(413);
    expect(await allEventIds(harness)).toEqual(before);
    expect((await harness.database.query('SELECT count(*) FROM agent_sessions')).rows).toEqual(sessions.rows);
    expect((await seed.call('GET', `/events/${theirs.session_id}`, tokens.one)).statusCode).toBe(404);
  });
});

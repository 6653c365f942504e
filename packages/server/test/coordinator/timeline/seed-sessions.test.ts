import { TIMELINE_TOPIC } from '@caracal/protocol';
import { describe, expect, it } from 'vitest';
import { testBackends } from '../../helpers/backends.ts';
import { useSeedHarness } from './seed-calls.ts';

const ZONE = 'zone_seed';

describe.each(testBackends())('seed sessions on $name', (backend) => {
  const { harness, tokens, seed } = useSeedHarness(backend, ZONE, { noScope: { clientId: 'app_one', scopes: ['tools:call'] } });

  it('creates a pending session as a Caracal spawn, with its seed fields, and reads it back', async () => {
    const response = await seed.call('POST', '/sessions', tokens.one, { project_dir: '/work/p', agent_name: 'writer', execution_mode: 'async_poll' });
    expect(response.statusCode).toBe(201);
    const { ok, session } = response.json();
    expect(ok).toBe(true);
    expect(session).toMatchObject({
      status: 'pending',
      authority_status: 'active',
      application_id: 'app_one',
      depth: 0,
      project_dir: '/work/p',
      agent_name: 'writer',
      parent_session_id: null,
      last_resumed_at: null,
      executor_session_id: null,
      executor_profile: null,
      hostname: null,
    });
    expect(session.session_id).toMatch(/^agentsess_[0-9a-z]{26}$/);
    const read = await seed.call('GET', `/sessions/${session.session_id}`, tokens.one);
    expect(read.json()).toEqual({ session });
    const coordinator = await harness.call({ method: 'GET', url: `/zones/${ZONE}/agents/${session.session_id}`, token: tokens.one });
    expect(coordinator.json()).toMatchObject({ status: 'active', labels: { execution_mode: 'async_poll' } });
    expect(await seed.status(tokens.one, session.session_id)).toBe('pending');
  });

  it('creates a child under parent_session_id: the tree and its limits apply', async () => {
    const parent = await seed.create(tokens.one);
    const child = await seed.create(tokens.one, { parent_session_id: parent.session_id });
    expect(child).toMatchObject({ parent_session_id: parent.session_id, depth: 1 });
    const foreign = await seed.call('POST', '/sessions', tokens.two, { parent_session_id: parent.session_id });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error).toBe('not_found');
  });

  it('replays a create with the same Idempotency-Key', async () => {
    const headers = { 'idempotency-key': 'seed-create-1' };
    const first = await harness.call({ method: 'POST', url: '/sessions', token: tokens.one, body: {}, headers });
    const again = await harness.call({ method: 'POST', url: '/sessions', token: tokens.one, body: {}, headers });
    expect(first.statusCode).toBe(201);
    expect(again.json().session.session_id).toBe(first.json().session.session_id);
    const other = await harness.call({ method: 'POST', url: '/sessions', token: tokens.one, body: { project_dir: '/elsewhere' }, headers });
    expect(other.statusCode).toBe(409);
    expect(other.json().error).toBe('idempotency_key_reused');
  });

  it('lists newest first in pages, only the caller application\'s sessions, all of the zone for an operator', async () => {
    const mine = [];
    for (let index = 0; index < 5; index += 1) mine.push((await seed.create(tokens.one)).session_id);
    const theirs = (await seed.create(tokens.two)).session_id;
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? 'limit=2' : `limit=2&cursor=${cursor}`;
      const page = (await seed.call('GET', `/sessions?${query}`, tokens.one)).json();
      expect(page.sessions.length).toBeLessThanOrEqual(2);
      seen.push(...page.sessions.map((session: { session_id: string }) => session.session_id));
      cursor = page.next_cursor;
    } while (cursor !== null);
    expect(seen).not.toContain(theirs);
    expect(seen.slice(0, 5)).toEqual([...mine].reverse());
    expect([...seen].sort().reverse()).toEqual(seen);
    const all = (await seed.call('GET', '/sessions?limit=500', tokens.operator)).json().sessions.map((session: { session_id: string }) => session.session_id);
    expect(all).toContain(theirs);
    expect(all).toEqual(expect.arrayContaining(mine));
  });

  it('filters the list by run status', async () => {
    const running = await seed.create(tokens.one);
    await seed.post(tokens.one, running.session_id, { event_type: 'run_start' });
    const page = (await seed.call('GET', '/sessions?status=running&limit=500', tokens.one)).json();
    expect(page.sessions.map((session: { session_id: string }) => session.session_id)).toContain(running.session_id);
    expect(page.sessions.every((session: { status: string }) => session.status === 'running')).toBe(true);
  });

  it('answers not_existent for an unknown, malformed, another application\'s or another zone\'s id', async () => {
    const theirs = await seed.create(tokens.two);
    const elsewhere = await harness.mint({ zoneId: 'zone_elsewhere', clientId: 'app_one' });
    expect(await seed.status(tokens.one, 'agentsess_0000000000aaaaaaaaaaaaaaaa')).toBe('not_existent');
    expect(await seed.status(tokens.one, 'not-an-id')).toBe('not_existent');
    expect(await seed.status(tokens.one, theirs.session_id)).toBe('not_existent');
    expect(await seed.status(elsewhere, theirs.session_id)).toBe('not_existent');
    expect(await seed.status(tokens.operator, theirs.session_id)).toBe('pending');
  });

  it('hides another application\'s and another zone\'s sessions behind 404 on every route', async () => {
    const theirs = (await seed.create(tokens.two)).session_id;
    const elsewhere = await harness.mint({ zoneId: 'zone_elsewhere', clientId: 'app_two' });
    const before = await harness.database.query('SELECT run_status, project_dir, seed_deleted_at FROM agent_sessions WHERE id = $1', [theirs]);
    const eventsBefore = await harness.database.query('SELECT id FROM session_events WHERE session_id = $1 ORDER BY id', [theirs]);
    for (const token of [tokens.one, elsewhere]) {
      for (const [method, url, body] of [
        ['GET', `/sessions/${theirs}`],
        ['GET', `/sessions/${theirs}/result`],
        ['GET', `/sessions/${theirs}/events`],
        ['POST', `/sessions/${theirs}/events`, { event_type: 'run_start' }],
        ['PATCH', `/sessions/${theirs}/metadata`, { hostname: 'h' }],
        ['DELETE', `/sessions/${theirs}`],
        ['GET', `/events/${theirs}`],
        ['POST', '/events', { session_id: theirs, event_type: 'message' }],
      ] as const) {
        const response = await seed.call(method, url, token, body);
        expect(response.statusCode, `${method} ${url}`).toBe(404);
        expect(response.json()).toMatchObject({ error: 'not_found', error_description: expect.any(String) });
      }
    }
    const after = await harness.database.query('SELECT run_status, project_dir, seed_deleted_at FROM agent_sessions WHERE id = $1', [theirs]);
    expect(after.rows).toEqual(before.rows);
    const eventsAfter = await harness.database.query('SELECT id FROM session_events WHERE session_id = $1 ORDER BY id', [theirs]);
    expect(eventsAfter.rows).toEqual(eventsBefore.rows);
  });

  it('needs a bearer mandate with agent:lifecycle (or an operator\'s)', async () => {
    expect((await harness.call({ method: 'GET', url: '/sessions' })).statusCode).toBe(401);
    expect((await seed.call('GET', '/sessions', tokens.noScope)).statusCode).toBe(403);
    expect((await seed.call('POST', '/sessions', tokens.noScope, {})).json().error).toBe('insufficient_scope');
    expect((await seed.call('GET', '/sessions', tokens.operator)).statusCode).toBe(200);
  });

  it('sets metadata fields, clears one with null, and tells the seed feeds', async () => {
    const session = await seed.create(tokens.one, { agent_name: 'a' });
    const response = await seed.call('PATCH', `/sessions/${session.session_id}/metadata`, tokens.one, {
      hostname: 'box-1',
      executor_profile: 'default',
      executor_session_id: 'exec-1',
      last_resumed_at: '2030-01-01T00:00:05Z',
      agent_name: null,
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({
      ok: true,
      session: expect.objectContaining({
        hostname: 'box-1',
        executor_profile: 'default',
        executor_session_id: 'exec-1',
        last_resumed_at: '2030-01-01T00:00:05.000Z',
        agent_name: null,
      }),
    });
    const outbox = await harness.database.query<{ payload: { session: { hostname: string } } }>(
      `SELECT payload FROM caracal_outbox WHERE topic = $1 AND event_type = 'session_updated' AND payload->'session'->>'session_id' = $2`,
      [TIMELINE_TOPIC, session.session_id],
    );
    expect(outbox.rows.map((row) => row.payload.session.hostname)).toEqual(['box-1']);
    const empty = await seed.call('PATCH', `/sessions/${session.session_id}/metadata`, tokens.one);
    expect(empty.json()).toEqual(response.json());
    const updatesAfter = await harness.database.query(
      `SELECT 1 FROM caracal_outbox WHERE topic = $1 AND event_type = 'session_updated' AND payload->'session'->>'session_id' = $2`,
      [TIMELINE_TOPIC, session.session_id],
    );
    expect(updatesAfter.rows).toHaveLength(1);
    const bad = await seed.call('PATCH', `/sessions/${session.session_id}/metadata`, tokens.one, { hostname: 7 });
    expect(bad.statusCode).toBe(400);
    const unknown = await seed.call('PATCH', `/sessions/${session.session_id}/metadata`, tokens.one, { zone: 'x' });
    expect(unknown.statusCode).toBe(400);
  });

  it('refuses malformed bodies, ids and queries with 400 and creates nothing', async () => {
    const count = async () => (await harness.database.query<{ count: string }>('SELECT count(*)::text AS count FROM agent_sessions')).rows[0]!.count;
    const before = await count();
    for (const body of [{ project_dir: 5 }, { parent_session_id: 'nope' }, { execution_mode: 'fast' }, { extra: 1 }, { agent_name: 'x'.repeat(1025) }]) {
      const response = await seed.call('POST', '/sessions', tokens.one, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().error).toBe('invalid_request');
    }
    const unknownParent = await seed.call('POST', '/sessions', tokens.one, { parent_session_id: 'agentsess_0000000000aaaaaaaaaaaaaaaa' });
    expect(unknownParent.statusCode).toBe(404);
    expect(await count()).toBe(before);
    expect((await seed.call('GET', '/sessions/agentsess_x', tokens.one)).statusCode).toBe(400);
    expect((await seed.call('GET', '/sessions?status=active', tokens.one)).statusCode).toBe(400);
    expect((await seed.call('GET', '/sessions?limit=501', tokens.one)).statusCode).toBe(400);
    expect((await seed.call('GET', `/sessions?cursor=${Buffer.from('x').toString('base64url')}`, tokens.one)).statusCode).toBe(400);
  });
});

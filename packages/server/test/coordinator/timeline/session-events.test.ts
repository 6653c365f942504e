import { TIMELINE_EVENT_MAX_BYTES, TIMELINE_TOPIC } from '@caracal/protocol';
import { describe, expect, it } from 'vitest';
import { testBackends } from '../../helpers/backends.ts';
import { allEventIds, useSeedHarness } from './seed-calls.ts';

const ZONE = 'zone_timeline';

describe.each(testBackends())('session timelines on $name', (backend) => {
  const { harness, tokens, seed } = useSeedHarness(backend, ZONE);

  it('appends one event: the server gives its id and time and keeps the client time apart', async () => {
    const { session_id: id } = await seed.create(tokens.one);
    const answer = await seed.post(tokens.one, id, {
      event_type: 'pre_tool',
      run_id: 'run-1',
      timestamp: '1999-01-01T00:00:00Z',
      tool_name: 'search',
      tool_input: { query: 'q' },
    });
    expect(answer).toEqual({
      ok: true,
      event: {
        id: expect.any(Number),
        session_id: id,
        run_id: 'run-1',
        event_type: 'pre_tool',
        source: 'agent',
        timestamp: expect.stringMatching(/^2030-01-01T/),
        reported_at: '1999-01-01T00:00:00.000Z',
        tool_name: 'search',
        tool_input: { query: 'q' },
        tool_output: null,
        error: null,
        exit_code: null,
        reason: null,
        role: null,
        content: null,
        result_text: null,
        result_data: null,
        details: null,
      },
    });
    const outbox = await harness.database.query<{ payload: { id: number } }>(
      `SELECT payload FROM caracal_outbox WHERE topic = $1 AND event_type = 'session_event' AND payload->>'session_id' = $2
       AND payload->>'source' = 'agent'`,
      [TIMELINE_TOPIC, id],
    );
    expect(outbox.rows.map((row) => row.payload.id)).toEqual([(answer.event as { id: number }).id]);
  });

  it('appends a batch in order and reads it back in server order, whatever the client clocks say', async () => {
    const { session_id: id } = await seed.create(tokens.one);
    const batch = [
      { event_type: 'message', role: 'user', content: [{ type: 'text', text: 'hi' }], timestamp: '2030-06-01T00:00:00Z' },
      { event_type: 'post_tool', tool_name: 'search', tool_output: { hits: 2 }, exit_code: 0, timestamp: '2001-01-01T00:00:00Z' },
      { event_type: 'custom.kind:x', error: 'e', reason: 'r' },
    ];
    const answer = await seed.post(tokens.one, id, batch);
    const events = answer.events as Array<{ id: number; event_type: string }>;
    expect(events.map((event) => event.event_type)).toEqual(['message', 'post_tool', 'custom.kind:x']);
    expect(events[0]!.id).toBeLessThan(events[1]!.id);
    expect(events[1]!.id).toBeLessThan(events[2]!.id);
    const read = (await seed.call('GET', `/sessions/${id}/events?source=agent`, tokens.one)).json();
    expect(read).toEqual({ events, next_cursor: null });
  });

  it('reads 1,200 events in pages, never capped', async () => {
    const { session_id: id } = await seed.create(tokens.one);
    const posted: number[] = [];
    for (let batch = 0; batch < 3; batch += 1) {
      const events = Array.from({ length: 400 }, (_, index) => ({ event_type: 'tick', result_data: batch * 400 + index }));
      posted.push(...((await seed.post(tokens.one, id, events)).events as Array<{ id: number }>).map((event) => event.id));
    }
    const read: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor === null ? '?source=agent' : `?source=agent&cursor=${cursor}`;
      const page = (await seed.call('GET', `/sessions/${id}/events${query}`, tokens.one)).json();
      expect(page.events.length).toBeLessThanOrEqual(100);
      read.push(...page.events.map((event: { id: number }) => event.id));
      cursor = page.next_cursor;
      pages += 1;
    } while (cursor !== null);
    expect(read).toEqual(posted);
    expect(pages).toBe(12);
    const big = (await seed.call('GET', `/sessions/${id}/events?limit=500&source=agent`, tokens.one)).json();
    expect(big.events).toHaveLength(500);
    expect(big.events.map((event: { result_data: number }) => event.result_data)).toEqual(Array.from({ length: 500 }, (_, index) => index));
  });

  it('gives concurrent posts distinct ids in commit order and loses none', async () => {
    const { session_id: id } = await seed.create(tokens.one);
    const answers = await Promise.all(
      Array.from({ length: 24 }, (_, index) => seed.post(tokens.one, id, index % 3 === 0 ? [{ event_type: 'a' }, { event_type: 'b' }] : { event_type: 'c' })),
    );
    const posted = answers.flatMap((answer) => (answer.events ?? [answer.event]) as Array<{ id: number }>).map((event) => event.id);
    expect(new Set(posted).size).toBe(32);
    const read = (await seed.call('GET', `/sessions/${id}/events?limit=500&source=agent`, tokens.one)).json().events.map((event: { id: number }) => event.id);
    expect(read).toEqual([...posted].sort((a, b) => a - b));
  });

  it('filters by event type, source and time window', async () => {
    const { session_id: id } = await seed.create(tokens.one);
    await seed.post(tokens.one, id, [{ event_type: 'pre_tool' }, { event_type: 'message' }]);
    harness.clock.advance(60_000);
    const middle = new Date(harness.clock.now()).toISOString();
    await seed.post(tokens.one, id, [{ event_type: 'post_tool' }, { event_type: 'message' }]);
    harness.clock.advance(60_000);
    const late = new Date(harness.clock.now()).toISOString();
    await seed.post(tokens.one, id, { event_type: 'pre_tool' });
    await harness.database.query(
      `INSERT INTO session_events (zone_id, session_id, application_id, event_type, source, recorded_at)
       VALUES ($1, $2, 'app_one', 'mandate_minted', 'sts', $3)`,
      [ZONE, id, late],
    );
    const types = async (query: string) =>
      (await seed.call('GET', `/sessions/${id}/events?${query}`, tokens.one)).json().events.map((event: { event_type: string }) => event.event_type);
    expect(await types('event_type=pre_tool,post_tool')).toEqual(['pre_tool', 'post_tool', 'pre_tool']);
    expect(await types('source=sts')).toEqual(['mandate_minted']);
    expect(await types('source=agent&event_type=message')).toEqual(['message', 'message']);
    expect(await types(`since=${middle}&until=${late}`)).toEqual(['post_tool', 'message']);
    expect(await types(`since=${late}`)).toEqual(['pre_tool', 'mandate_minted']);
    for (const query of ['event_type=has%20space', 'source=user', 'since=yesterday', `since=${late}&until=${middle}`, 'limit=0', 'cursor=abc', 'extra=1']) {
      const response = await seed.call('GET', `/sessions/${id}/events?${query}`, tokens.one);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().error).toBe('invalid_request');
    }
  });

  it('moves the run status: run_start → running, run_completed → finished, which terminates the session and its subtree', async () => {
    const parent = await seed.create(tokens.one);
    const child = await seed.create(tokens.one, { parent_session_id: parent.session_id });
    await seed.post(tokens.one, parent.session_id, { event_type: 'run_start' });
    expect(await seed.status(tokens.one, parent.session_id)).toBe('running');
    await seed.post(tokens.one, parent.session_id, [{ event_type: 'result', result_text: 'done', result_data: { n: 1 } }, { event_type: 'run_completed' }]);
    const read = (await seed.call('GET', `/sessions/${parent.session_id}`, tokens.one)).json().session;
    expect(read).toMatchObject({ status: 'finished', authority_status: 'terminated' });
    const childRead = (await seed.call('GET', `/sessions/${child.session_id}`, tokens.one)).json().session;
    expect(childRead).toMatchObject({ status: 'stopped', authority_status: 'terminated' });
    const revoked = await harness.database.query<{ payload: { agent_session_id: string; reason: string } }>(
      `SELECT payload FROM caracal_outbox WHERE event_type = 'session_revoked' AND payload->>'agent_session_id' = ANY ($1::text[]) ORDER BY id`,
      [[parent.session_id, child.session_id]],
    );
    expect(revoked.rows.map((row) => row.payload.reason)).toEqual(['run_finished', 'run_finished']);
    const updates = await harness.database.query<{ payload: { session: { session_id: string; status: string } } }>(
      `SELECT payload FROM caracal_outbox WHERE topic = $1 AND event_type = 'session_updated' AND payload->'session'->>'session_id' = ANY ($2::text[]) ORDER BY id`,
      [TIMELINE_TOPIC, [parent.session_id, child.session_id]],
    );
    expect(updates.rows.map((row) => row.payload.session.status)).toEqual(['running', 'finished', 'stopped']);
    // A terminal run status is final: a repeated completion is recorded and changes nothing; a new start is refused.
    await seed.post(tokens.one, parent.session_id, { event_type: 'run_failed', error: 'late' });
    expect(await seed.status(tokens.one, parent.session_id)).toBe('finished');
    const restart = await seed.call('POST', `/sessions/${parent.session_id}/events`, tokens.one, { event_type: 'run_start' });
    expect(restart.statusCode).toBe(409);
    expect(restart.json().error).toBe('session_not_active');
  });

  it('run_completed with session_status idle leaves the session idle and its authority active; run_failed → failed', async () => {
    const idle = await seed.create(tokens.one);
    await seed.post(tokens.one, idle.session_id, [{ event_type: 'run_start' }, { event_type: 'run_completed', session_status: 'idle' }]);
    expect((await seed.call('GET', `/sessions/${idle.session_id}`, tokens.one)).json().session).toMatchObject({ status: 'idle', authority_status: 'active' });
    await seed.post(tokens.one, idle.session_id, { event_type: 'run_start' });
    expect(await seed.status(tokens.one, idle.session_id)).toBe('running');
    const failing = await seed.create(tokens.one);
    await seed.post(tokens.one, failing.session_id, [{ event_type: 'run_start' }, { event_type: 'run_failed', error: 'boom' }]);
    expect((await seed.call('GET', `/sessions/${failing.session_id}`, tokens.one)).json().session).toMatchObject({ status: 'failed', authority_status: 'terminated' });
  });

  it('gives the newest result once finished or idle: 400 before, 404 without one', async () => {
    const { session_id: id } = await seed.create(tokens.one);
    await seed.post(tokens.one, id, [{ event_type: 'run_start' }, { event_type: 'result', result_text: 'first' }]);
    const early = await seed.call('GET', `/sessions/${id}/result`, tokens.one);
    expect(early.statusCode).toBe(400);
    expect(early.json().error).toBe('run_not_finished');
    await seed.post(tokens.one, id, [{ event_type: 'result', result_text: 'second', result_data: { answer: 42 } }, { event_type: 'run_completed' }]);
    const result = await seed.call('GET', `/sessions/${id}/result`, tokens.one);
    expect(result.statusCode).toBe(200);
    expect(result.json()).toEqual({ result_text: 'second', result_data: { answer: 42 } });
    const none = await seed.create(tokens.one);
    await seed.post(tokens.one, none.session_id, [{ event_type: 'run_start' }, { event_type: 'run_completed', session_status: 'idle' }]);
    const missing = await seed.call('GET', `/sessions/${none.session_id}/result`, tokens.one);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toBe('no_result');
  });

  it('refuses bad events with a clear 4xx and writes nothing', async () => {
    const { session_id: id } = await seed.create(tokens.one);
    const before = await allEventIds(harness);
    const big = 'x'.repeat(TIMELINE_EVENT_MAX_BYTES);
    const cases: Array<[unknown, number]> = [
      [{ event_type: 'message', content: [{ text: big }] }, 413],
      [[{ event_type: 'ok' }, { event_type: 'message', result_text: big }], 413],
      [{}, 400],
      [{ event_type: 5 }, 400],
      [{ event_type: 'has space' }, 400],
      [{ event_type: 'x'.repeat(65) }, 400],
      [{ event_type: 'm', exit_code: 'zero' }, 400],
      [{ event_type: 'm', tool_input: [1] }, 400],
      [{ event_type: 'm', unknown_field: 1 }, 400],
      [{ event_type: 'run_completed', session_status: 'stopped' }, 400],
      [{ event_type: 'm', timestamp: 'yesterday' }, 400],
      [[], 400],
      [Array.from({ length: 501 }, () => ({ event_type: 'm' })), 400],
      [[{ event_type: 'ok' }, { event_type: 7 }], 400],
      [{ event_type: 'm', result_text: 'a\u0000b' }, 400],
      ['text', 400],
    ];
    for (const [body, status] of cases) {
      const response = await seed.call('POST', `/sessions/${id}/events`, tokens.one, body);
      expect(response.statusCode, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect(response.json()).toEqual({ error: expect.any(String), error_description: expect.any(String) });
    }
    let deep: unknown = 'leaf';
    for (let depth = 0; depth < 30; depth += 1) deep = { d: deep };
    const nested = await seed.call('POST', `/sessions/${id}/events`, tokens.one, { event_type: 'm', tool_input: { deep } });
    expect(nested.statusCode).toBe(400);
    const unknown = await seed.call('POST', '/sessions/agentsess_0000000000aaaaaaaaaaaaaaaa/events', tokens.one, { event_type: 'm' });
    expect(unknown.statusCode).toBe(404);
    expect(await allEventIds(harness)).toEqual(before);
    expect(await seed.status(tokens.one, id)).toBe('pending');
  });

  it('keeps a failing batch whole: a refused run_start rolls back the events before it', async () => {
    const { session_id: id } = await seed.create(tokens.one);
    await seed.post(tokens.one, id, [{ event_type: 'run_start' }, { event_type: 'run_failed' }]);
    const before = await allEventIds(harness);
    const response = await seed.call('POST', `/sessions/${id}/events`, tokens.one, [{ event_type: 'message' }, { event_type: 'run_start' }]);
    expect(response.statusCode).toBe(409);
    expect(await allEventIds(harness)).toEqual(before);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { expireOverdueInvocations } from '../../src/coordinator/maintenance/index.ts';
import { testBackends } from '../helpers/backends.ts';
import { outboxEvents, useHarness } from './coordinator-harness.ts';

const ZONE = 'zone_invocations';

describe.each(testBackends())('invocations on $name', (backend) => {
  const { harness, tokens } = useHarness(backend, { zoneId: ZONE, tokens: { token: 'app_worker', other: 'app_other' } });
  let session: string;

  beforeAll(async () => {
    const spawned = await harness.call({ method: 'POST', url: `/zones/${ZONE}/agents`, token: tokens.token, body: {} });
    session = spawned.json().agent_session_id;
  });

  const create = (body: Record<string, unknown>, bearer = tokens.token) =>
    harness.call({ method: 'POST', url: `/zones/${ZONE}/invocations`, token: bearer, body });
  const move = (id: string, action: 'start' | 'complete' | 'cancel', body?: Record<string, unknown>, bearer = tokens.token) =>
    harness.call({ method: 'POST', url: `/zones/${ZONE}/invocations/${id}/${action}`, token: bearer, ...(body === undefined ? {} : { body }) });

  it('runs an invocation through pending → running → succeeded with one event per step', async () => {
    const created = await create({ agent_session_id: session, operation: 'search', input: { query: 'x' }, timeout_seconds: 60 });
    expect(created.statusCode).toBe(201);
    const body = created.json();
    expect(body).toMatchObject({ agent_session_id: session, operation: 'search', status: 'pending', input: { query: 'x' } });
    expect(body.invocation_id).toMatch(/^inv_/);
    expect(Date.parse(body.deadline_at) - Date.parse(body.created_at)).toBe(60_000);
    expect((await move(body.invocation_id, 'start')).json().status).toBe('running');
    expect((await move(body.invocation_id, 'start')).json().error).toBe('invalid_state');
    const done = await move(body.invocation_id, 'complete', { output: { hits: 3 } });
    expect(done.json()).toMatchObject({ status: 'succeeded', output: { hits: 3 } });
    expect(done.json().finished_at).not.toBeNull();
    expect((await move(body.invocation_id, 'cancel')).statusCode).toBe(409);
    for (const type of ['invocation_created', 'invocation_started', 'invocation_succeeded']) {
      const events = await harness.database.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM caracal_outbox WHERE event_type = $1 AND payload->>'invocation_id' = $2`,
        [type, body.invocation_id],
      );
      expect(events.rows[0]!.count, type).toBe(1);
    }
    const read = await harness.call({ method: 'GET', url: `/zones/${ZONE}/invocations/${body.invocation_id}`, token: tokens.token });
    expect(read.json().status).toBe('succeeded');
    expect((await harness.call({ method: 'GET', url: `/zones/${ZONE}/invocations/${body.invocation_id}`, token: tokens.other })).statusCode).toBe(403);
    const list = await harness.call({ method: 'GET', url: `/zones/${ZONE}/invocations?agent_session_id=${session}&status=succeeded`, token: tokens.token });
    expect(list.json().items.map((item: { id: string }) => item.id)).toContain(body.invocation_id);
  });

  it('answers every field of an invocation on a create, a read, a list and a move', async () => {
    const fields = ['agent_session_id', 'application_id', 'cancel_reason', 'created_at', 'deadline_at', 'error', 'finished_at', 'id',
      'input', 'metadata', 'operation', 'output', 'service_id', 'started_at', 'status', 'zone_id'].sort();
    const created = (await create({ agent_session_id: session, operation: 'fields', metadata: { v: 1 } })).json();
    expect(Object.keys(created).sort()).toEqual(['invocation_id', ...fields].sort());
    const read = await harness.call({ method: 'GET', url: `/zones/${ZONE}/invocations/${created.invocation_id}`, token: tokens.token });
    expect(read.json()).toEqual(Object.fromEntries(Object.entries(created).filter(([key]) => key !== 'invocation_id')));
    const list = await harness.call({ method: 'GET', url: `/zones/${ZONE}/invocations?limit=1`, token: tokens.token });
    expect(Object.keys(list.json().items[0]).sort()).toEqual(fields);
    const started = await move(created.invocation_id, 'start');
    expect(Object.keys(started.json()).sort()).toEqual(fields);
    expect((await move(created.invocation_id, 'complete', { output: [1, 'two', null] })).json().output).toEqual([1, 'two', null]);
  });

  it('fails, cancels, and refuses invocations it should not accept', async () => {
    const failing = (await create({ agent_session_id: session, operation: 'flaky' })).json();
    expect((await move(failing.invocation_id, 'complete', { status: 'failed', error: { message: 'boom' } })).json()).toMatchObject({
      status: 'failed',
      error: { message: 'boom' },
    });
    const cancelled = (await create({ agent_session_id: session, operation: 'slow' })).json();
    expect((await move(cancelled.invocation_id, 'cancel', { reason: 'user' })).json()).toMatchObject({ status: 'cancelled', cancel_reason: 'user' });
    expect((await create({ agent_session_id: session, operation: 'x' }, tokens.other)).statusCode).toBe(403);
    expect((await create({ agent_session_id: session, operation: 'x', deadline_at: '2000-01-01T00:00:00Z' })).statusCode).toBe(400);
    expect((await create({ agent_session_id: session, operation: 'x', service_id: 'svc_0000000000aaaaaaaaaaaaaaaa' })).statusCode).toBe(404);
    expect((await move('inv_0000000000aaaaaaaaaaaaaaaa', 'start')).statusCode).toBe(404);
  });

  it('cancels open invocations when their session terminates, and refuses new ones', async () => {
    const spawned = (await harness.call({ method: 'POST', url: `/zones/${ZONE}/agents`, token: tokens.token, body: {} })).json().agent_session_id;
    const open = (await create({ agent_session_id: spawned, operation: 'long' })).json();
    await harness.call({ method: 'DELETE', url: `/zones/${ZONE}/agents/${spawned}`, token: tokens.token });
    const read = await harness.call({ method: 'GET', url: `/zones/${ZONE}/invocations/${open.invocation_id}`, token: tokens.token });
    expect(read.json()).toMatchObject({ status: 'cancelled', cancel_reason: 'session_terminated' });
    const refused = await create({ agent_session_id: spawned, operation: 'late' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toBe('session_not_active');
  });

  it('expires overdue invocations through the deadline enforcer, using the injected time', async () => {
    const due = (await create({ agent_session_id: session, operation: 'deadline', timeout_seconds: 30 })).json();
    const later = (await create({ agent_session_id: session, operation: 'later', timeout_seconds: 3600 })).json();
    expect(await expireOverdueInvocations(harness.database, new Date(harness.clock.now()))).toBe(0);
    harness.clock.advance(31_000);
    const late = await move(due.invocation_id, 'start');
    expect(late.statusCode).toBe(409);
    expect(late.json().error).toBe('deadline_exceeded');
    expect(await expireOverdueInvocations(harness.database, new Date(harness.clock.now()))).toBe(1);
    expect(await expireOverdueInvocations(harness.database, new Date(harness.clock.now()))).toBe(0);
    const read = await harness.call({ method: 'GET', url: `/zones/${ZONE}/invocations/${due.invocation_id}`, token: tokens.token });
    expect(read.json().status).toBe('expired');
    const pending = await harness.call({ method: 'GET', url: `/zones/${ZONE}/invocations/${later.invocation_id}`, token: tokens.token });
    expect(pending.json().status).toBe('pending');
    const events = await harness.database.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM caracal_outbox WHERE event_type = 'invocation_expired' AND payload->>'invocation_id' = $1`,
      [due.invocation_id],
    );
    expect(events.rows[0]!.count).toBe(1);
    expect(await outboxEvents(harness.database, { type: 'invocation_expired' })).toHaveLength(1);
  });
});

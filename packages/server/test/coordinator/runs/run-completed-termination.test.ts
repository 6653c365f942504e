import { TIMELINE_TOPIC } from '@caracal/protocol';
import { describe, expect, it } from 'vitest';
import { testBackends } from '../../helpers/backends.ts';
import { useHarness } from '../coordinator-harness.ts';
import { runClient } from './run-client.ts';

const ZONE = 'zone_run_completed';
/** The fields these tests read of a timeline feed entry: an event's id, a change's seed session. */
type FeedPayload = { id?: number | string; session: { session_id: string; status: string; authority_status: string } };
let apps = 0;

/**
 * A runner's `completed` (session status `finished`) ends its session's subtree in the statement
 * that moves the run: the facts keep their order, a refused report writes nothing at all.
 */
describe.each(testBackends())('a runner\'s completed ends its session, on $name', (backend) => {
  const { harness } = useHarness(backend, { zoneId: ZONE, seats: 200 });
  const client = runClient(harness);
  const freshApp = () => harness.mint({ zoneId: ZONE, clientId: `app_done_${(apps += 1)}`, scopes: ['agent:lifecycle', 'tools:call'] });
  const lastIds = async () =>
    (
      await harness.database.query<{ fact: number; outbox: number }>(
        'SELECT (SELECT coalesce(max(id), 0) FROM session_events)::int AS fact, (SELECT coalesce(max(id), 0) FROM caracal_outbox)::int AS outbox',
      )
    ).rows[0]!;
  /** What a report could have written: every timeline fact and outbox row, the sessions and the runs. */
  const everything = async () => ({
    ...(await lastIds()),
    sessions: (await harness.database.query('SELECT id, status, run_status, live_children FROM agent_sessions ORDER BY id')).rows,
    runs: (await harness.database.query('SELECT id, status, updated_at FROM runs ORDER BY id')).rows,
  });

  /** A running run whose session has a child session (with a pending run and the edge a spawn makes). */
  async function runningWithChild(token: string) {
    const { run_id: runId, session_id: sessionId } = await client.createRun(token);
    const { run_id: childRunId, session_id: childId } = await client.createRun(token, { parent_session_id: sessionId });
    const runnerId = await client.register(token, { hostname: `done-${apps}` });
    expect((await client.poll(token, runnerId)).json().run.run_id).toBe(runId);
    expect((await client.report(token, runId, 'started', { runner_id: runnerId })).statusCode).toBe(200);
    return { runId, sessionId, childRunId, childId, runnerId };
  }

  it('records run_completed first, then the termination\'s facts in order, each with its feed entry in the same order', async () => {
    const token = await freshApp();
    const { runId, sessionId, childRunId, childId, runnerId } = await runningWithChild(token);
    const before = await lastIds();
    const completed = await client.report(token, runId, 'completed', { runner_id: runnerId });
    expect(completed.statusCode, completed.body).toBe(200);
    expect(completed.json().run).toMatchObject({ status: 'completed', session_status: 'finished' });
    const name = (id: unknown) => (id === sessionId ? 'root' : id === childId ? 'child' : String(id));
    const facts = (
      await harness.database.query<{ id: number; session_id: string; event_type: string; run_id: string | null }>(
        'SELECT id, session_id, event_type, run_id FROM session_events WHERE id > $1 ORDER BY id',
        [before.fact],
      )
    ).rows;
    expect(facts.map((fact) => `${name(fact.session_id)} ${fact.event_type}`)).toEqual([
      'root run_completed',
      'root session_terminated',
      'child session_terminated',
      'root edge_revoked',
      'child edge_revoked',
      'child run_stopped',
    ]);
    expect(facts[0]!.run_id).toBe(runId);
    expect(facts.at(-1)!.run_id).toBe(childRunId);
    const outbox = (
      await harness.database.query<{ event_type: string; payload: FeedPayload }>(
        'SELECT event_type, payload FROM caracal_outbox WHERE id > $1 AND topic = $2 ORDER BY id',
        [before.outbox, TIMELINE_TOPIC],
      )
    ).rows;
    expect(outbox.filter((row) => row.event_type === 'session_event').map((row) => String(row.payload.id))).toEqual(facts.map((fact) => String(fact.id)));
    const changes = outbox.filter((row) => row.event_type === 'session_updated').map((row) => row.payload.session);
    expect(changes.map((session) => [name(session.session_id), session.status, session.authority_status])).toEqual([
      ['root', 'finished', 'terminated'],
      ['child', 'stopped', 'terminated'],
    ]);
    expect(await client.session(sessionId)).toMatchObject({ run_status: 'finished', status: 'terminated' });
    expect(await client.run(token, childRunId)).toMatchObject({ status: 'stopped' });
  });

  it('writes nothing at all for a refused completed: another runner\'s run (403), another application\'s (404)', async () => {
    const token = await freshApp();
    const { runId, runnerId } = await runningWithChild(token);
    const otherRunner = await client.register(token, { hostname: `other-${apps}` });
    const stranger = await freshApp();
    const strangerRunner = await client.register(stranger, { hostname: `stranger-${apps}` });
    const before = await everything();
    const refused = await client.report(token, runId, 'completed', { runner_id: otherRunner });
    expect(refused.statusCode, refused.body).toBe(403);
    expect(refused.json().error).toBe('not_run_owner');
    expect((await client.report(stranger, runId, 'completed', { runner_id: strangerRunner })).statusCode).toBe(404);
    expect((await client.report(stranger, runId, 'completed', { runner_id: runnerId })).statusCode).toBe(404);
    expect(await everything()).toEqual(before);
  });

  it('sets the run status of a session whose authority had already ended, and tells the seed feeds', async () => {
    const token = await freshApp();
    const { run_id: runId, session_id: sessionId } = await client.createRun(token);
    const runnerId = await client.register(token, { hostname: `ended-${apps}` });
    expect((await client.poll(token, runnerId)).json().run.run_id).toBe(runId);
    expect((await client.report(token, runId, 'started', { runner_id: runnerId })).statusCode).toBe(200);
    // Not reachable through the API (a termination cuts its run off): the session alone ends.
    await harness.database.query(`UPDATE agent_sessions SET status = 'terminated' WHERE id = $1`, [sessionId]);
    const before = await lastIds();
    expect((await client.report(token, runId, 'completed', { runner_id: runnerId })).statusCode).toBe(200);
    expect(await client.session(sessionId)).toMatchObject({ run_status: 'finished', status: 'terminated' });
    const facts = (await harness.database.query<{ event_type: string }>('SELECT event_type FROM session_events WHERE id > $1 ORDER BY id', [before.fact])).rows;
    expect(facts.map((fact) => fact.event_type)).toEqual(['run_completed']);
    const outbox = (
      await harness.database.query<{ event_type: string; payload: FeedPayload }>(
        'SELECT event_type, payload FROM caracal_outbox WHERE id > $1 ORDER BY id',
        [before.outbox],
      )
    ).rows;
    expect(outbox.map((row) => row.event_type)).toEqual(['session_event', 'session_updated']);
    expect(outbox[1]!.payload.session).toMatchObject({ session_id: sessionId, status: 'finished', authority_status: 'terminated' });
  });

  it('stays consistent when the session is terminated while its run completes', async () => {
    for (let round = 0; round < 4; round += 1) {
      const token = await freshApp();
      const { runId, sessionId, childId, runnerId } = await runningWithChild(token);
      const [completed, deleted] = await Promise.all([
        client.report(token, runId, 'completed', { runner_id: runnerId }),
        client.call('DELETE', `/zones/${ZONE}/agents/${sessionId}`, token),
      ]);
      expect(deleted.statusCode, deleted.body).toBeLessThan(300);
      const run = await client.run(token, runId);
      // Either the run completed first (its session finished) or the termination cut it off first.
      if (completed.statusCode === 200) {
        expect(run.status).toBe('completed');
        expect(await client.session(sessionId)).toMatchObject({ run_status: 'finished', status: 'terminated' });
      } else {
        expect(completed.statusCode, completed.body).toBe(409);
        expect(run.status).toBe('stopping');
      }
      expect(await client.session(childId)).toMatchObject({ status: 'terminated' });
      const ended = await harness.database.query<{ session_id: string }>(
        `SELECT session_id FROM session_events WHERE event_type = 'session_terminated' AND session_id = ANY ($1::text[])`,
        [[sessionId, childId]],
      );
      expect(ended.rows.map((row) => row.session_id).sort()).toEqual([sessionId, childId].sort());
    }
  });
});

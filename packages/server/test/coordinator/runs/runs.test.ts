import { describe, expect, it } from 'vitest';
import { sweepRuns } from '../../../src/coordinator/runs/run-sweeps.ts';
import { DEFAULT_RUN_SETTINGS } from '../../../src/coordinator/runs/run-settings.ts';
import { testBackends } from '../../helpers/backends.ts';
import { useHarness } from '../coordinator-harness.ts';
import { runClient } from './run-client.ts';
import { writeBlueprint } from './run-blueprints.ts';

const ZONE = 'zone_runs';
let apps = 0;

describe.each(testBackends())('runs and runners on $name', (backend) => {
  const { harness, tokens } = useHarness(backend, {
    zoneId: ZONE,
    seats: 500,
    tokens: { admin: { clientId: 'app_ops', scopes: ['agent:lifecycle', 'caracal:admin'] } },
  });
  const client = runClient(harness);
  /** A token of an application no other test uses, so each test sees only its own runs. */
  const freshApp = (zoneId = ZONE) => harness.mint({ zoneId, clientId: `app_runs_${(apps += 1)}` });
  const sweep = () => sweepRuns(harness.database, new Date(harness.clock.now()), DEFAULT_RUN_SETTINGS);
  const blueprint = (name: string, agent: Record<string, unknown> = {}, options: { disabled?: boolean } = {}) =>
    writeBlueprint(harness.agentsDir, ZONE, name, agent, options);

  it('starts a session for a run: 201 pending, the session pending with its agent name, run_created on its timeline', async () => {
    const token = await freshApp();
    blueprint('researcher');
    const response = await client.call('POST', '/runs', token, {
      type: 'start_session',
      agent_name: 'researcher',
      parameters: { prompt: 'find things' },
      project_dir: '/tmp/p',
      execution_mode: 'async_poll',
    });
    expect(response.statusCode, response.body).toBe(201);
    const created = response.json();
    expect(created).toEqual({ run_id: expect.stringMatching(/^run_[0-9a-z]{26}$/), session_id: expect.stringMatching(/^agentsess_/), status: 'pending' });
    expect(await client.run(token, created.run_id)).toMatchObject({
      run_id: created.run_id,
      session_id: created.session_id,
      type: 'start_session',
      agent_name: 'researcher',
      parameters: { prompt: 'find things' },
      project_dir: '/tmp/p',
      execution_mode: 'async_poll',
      status: 'pending',
      runner_id: null,
    });
    expect(await client.session(created.session_id)).toMatchObject({ run_status: 'pending', status: 'active', agent_name: 'researcher' });
    expect(await client.timeline(created.session_id)).toContainEqual({ event_type: 'run_created', run_id: created.run_id, source: 'coordinator' });
    // The lifecycle event names the blueprint, so a live view (the console's tree) shows it at once.
    const spawned = await harness.database.query<{ payload: Record<string, unknown> }>(
      `SELECT payload FROM caracal_outbox WHERE event_type = 'session_spawned' AND payload->>'agent_session_id' = $1`,
      [created.session_id],
    );
    expect(spawned.rows.map((row) => row.payload.agent_name)).toEqual(['researcher']);
  });

  it('goes pending → claimed → running → completed through a runner, the session following; idle keeps it alive for a resume', async () => {
    const token = await freshApp();
    const { run_id: runId, session_id: sessionId } = await client.createRun(token);
    const runnerId = await client.register(token);
    const polled = await client.poll(token, runnerId);
    expect(polled.statusCode, polled.body).toBe(200);
    expect(polled.json().run).toMatchObject({ run_id: runId, status: 'claimed', runner_id: runnerId });
    expect((await client.poll(token, runnerId)).statusCode).toBe(204);
    expect((await client.report(token, runId, 'started', { runner_id: runnerId })).statusCode).toBe(200);
    expect(await client.session(sessionId)).toMatchObject({ run_status: 'running', status: 'active' });
    const completed = await client.report(token, runId, 'completed', { runner_id: runnerId, status: 'completed', session_status: 'idle', result: { answer: 42 } });
    expect(completed.statusCode, completed.body).toBe(200);
    expect(completed.json().run).toMatchObject({ status: 'completed', result: { answer: 42 }, session_status: 'idle' });
    expect(await client.session(sessionId)).toMatchObject({ run_status: 'idle', status: 'active' });

    const resumed = await client.call('POST', '/runs', token, { type: 'resume_session', session_id: sessionId, parameters: { prompt: 'more' } });
    expect(resumed.statusCode, resumed.body).toBe(201);
    expect(resumed.json().session_id).toBe(sessionId);
    const session = await client.session(sessionId);
    expect(session.run_status).toBe('pending');
    expect(session.last_resumed_at).not.toBeNull();
    // A second resume while one is under way is refused.
    expect((await client.call('POST', '/runs', token, { type: 'resume_session', session_id: sessionId, parameters: { prompt: 'x' } })).statusCode).toBe(409);
    const second = (await client.poll(token, runnerId)).json().run;
    expect(second.run_id).toBe(resumed.json().run_id);
    await client.report(token, second.run_id, 'started', { runner_id: runnerId });
    await client.report(token, second.run_id, 'completed', { runner_id: runnerId, session_status: 'finished' });
    expect(await client.session(sessionId)).toMatchObject({ run_status: 'finished', status: 'terminated' });
    // A finished (terminated) session cannot be resumed.
    const again = await client.call('POST', '/runs', token, { type: 'resume_session', session_id: sessionId, parameters: { prompt: 'x' } });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toBe('session_not_active');
    const events = (await client.timeline(sessionId)).filter((event) => event.source === 'coordinator' && event.event_type.startsWith('run_'));
    expect(events.map((event) => event.event_type)).toEqual([
      'run_created', 'run_claimed', 'run_started', 'run_completed', 'run_created', 'run_claimed', 'run_started', 'run_completed',
    ]);
    expect(events.every((event) => event.run_id !== null)).toBe(true);
  });

  /** Puts a fresh run into `state` and answers its id and runner. */
  async function runIn(state: string, token: string): Promise<{ runId: string; runnerId: string; sessionId: string }> {
    const { run_id: runId, session_id: sessionId } = await client.createRun(token);
    const runnerId = await client.register(token, { hostname: `host-${runId}` });
    const at = { runId, runnerId, sessionId };
    if (state === 'pending') return at;
    if (state === 'stopped-pending') {
      expect((await client.call('POST', `/runs/${runId}/stop`, token)).statusCode).toBe(200);
      return at;
    }
    expect((await client.poll(token, runnerId)).json().run.run_id).toBe(runId);
    if (state === 'claimed') return at;
    if (state === 'stopping-claimed') {
      expect((await client.call('POST', `/runs/${runId}/stop`, token)).statusCode).toBe(200);
      return at;
    }
    expect((await client.report(token, runId, 'started', { runner_id: runnerId })).statusCode).toBe(200);
    if (state === 'running') return at;
    if (state === 'completed') expect((await client.report(token, runId, 'completed', { runner_id: runnerId })).statusCode).toBe(200);
    if (state === 'failed') expect((await client.report(token, runId, 'failed', { runner_id: runnerId, error: 'boom' })).statusCode).toBe(200);
    if (state === 'stopping' || state === 'stopped') expect((await client.call('POST', `/runs/${runId}/stop`, token)).statusCode).toBe(200);
    if (state === 'stopped') expect((await client.report(token, runId, 'stopped', { runner_id: runnerId })).statusCode).toBe(200);
    return at;
  }

  const stateOf = (state: string) => ({ 'stopped-pending': 'stopped', 'stopping-claimed': 'stopping' })[state] ?? state;
  // What each action does from each state: the new state, or the refusal's status.
  const machine: Record<string, Record<string, string | number>> = {
    pending: { started: 403, completed: 403, failed: 403, stopped: 403, stop: 'stopped' },
    claimed: { started: 'running', completed: 409, failed: 409, stopped: 409, stop: 'stopping' },
    running: { started: 409, completed: 'completed', failed: 'failed', stopped: 409, stop: 'stopping' },
    'stopping-claimed': { started: 409, completed: 409, failed: 409, stopped: 'stopped', stop: 409 },
    stopping: { started: 409, completed: 409, failed: 409, stopped: 'stopped', stop: 409 },
    completed: { started: 409, completed: 409, failed: 409, stopped: 409, stop: 409 },
    failed: { started: 409, completed: 409, failed: 409, stopped: 409, stop: 409 },
    stopped: { started: 409, completed: 409, failed: 409, stopped: 409, stop: 409 },
    'stopped-pending': { started: 403, completed: 403, failed: 403, stopped: 403, stop: 409 },
  };
  const cases = Object.entries(machine).flatMap(([state, actions]) => Object.entries(actions).map(([action, outcome]) => ({ state, action, outcome })));

  it.each(cases)('from $state, $action → $outcome', async ({ state, action, outcome }) => {
    const token = await freshApp();
    const { runId, runnerId } = await runIn(state, token);
    const before = await client.run(token, runId);
    const response =
      action === 'stop'
        ? await client.call('POST', `/runs/${runId}/stop`, token)
        : await client.report(token, runId, action as 'started', { runner_id: runnerId, ...(action === 'failed' ? { error: 'boom' } : {}) });
    if (typeof outcome === 'string') {
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json().run.status).toBe(outcome);
      expect((await client.run(token, runId)).status).toBe(outcome);
    } else {
      expect(response.statusCode, response.body).toBe(outcome);
      expect(response.json().error).toBe(outcome === 403 ? 'not_run_owner' : 'invalid_transition');
      expect(await client.run(token, runId)).toEqual(before);
      expect(before.status).toBe(stateOf(state));
    }
  });

  it('keeps the session run status in step: failed and stopped terminate the session', async () => {
    const token = await freshApp();
    const failed = await runIn('failed', token);
    expect(await client.session(failed.sessionId)).toMatchObject({ run_status: 'failed', status: 'terminated' });
    const stopping = await runIn('stopping', token);
    expect(await client.session(stopping.sessionId)).toMatchObject({ run_status: 'stopping', status: 'active' });
    const stopped = await runIn('stopped', token);
    expect(await client.session(stopped.sessionId)).toMatchObject({ run_status: 'stopped', status: 'terminated' });
    const outbox = await harness.database.query<{ payload: Record<string, unknown> }>(
      `SELECT payload FROM caracal_outbox WHERE topic = 'caracal.sessions.timeline' AND event_type = 'run_failed' AND payload->>'run_id' = $1`,
      [failed.runId],
    );
    expect(outbox.rows.map((row) => row.payload)).toEqual([
      { run_id: failed.runId, session_id: failed.sessionId, error: 'boom', zone_id: ZONE, application_id: expect.any(String) },
    ]);
  });

  it('lets only the claiming runner move its run', async () => {
    const token = await freshApp();
    const { runId, runnerId } = await runIn('claimed', token);
    const otherRunner = await client.register(token, { hostname: 'another-host' });
    const refused = await client.report(token, runId, 'started', { runner_id: otherRunner });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toBe('not_run_owner');
    // Another application's runner does not see the run at all; its own runner id is not ours to use.
    const stranger = await freshApp();
    const strangerRunner = await client.register(stranger);
    expect((await client.report(stranger, runId, 'started', { runner_id: strangerRunner })).statusCode).toBe(404);
    expect((await client.report(stranger, runId, 'started', { runner_id: runnerId })).statusCode).toBe(404);
    expect((await client.poll(stranger, runnerId)).statusCode).toBe(404);
    expect((await client.run(token, runId)).status).toBe('claimed');
  });

  it('hides runs and runners of another zone and another application (404), and shows the zone to an operator', async () => {
    const token = await freshApp();
    const { runId, runnerId } = await runIn('claimed', token);
    const otherZone = await freshApp('zone_runs_other');
    const otherApp = await freshApp();
    for (const stranger of [otherZone, otherApp]) {
      expect((await client.call('GET', `/runs/${runId}`, stranger)).statusCode).toBe(404);
      expect((await client.call('POST', `/runs/${runId}/stop`, stranger)).statusCode).toBe(404);
      expect((await client.call('DELETE', `/runners/${runnerId}`, stranger)).statusCode).toBe(404);
      expect((await client.call('POST', '/runner/heartbeat', stranger, { runner_id: runnerId })).statusCode).toBe(404);
      expect((await client.report(stranger, runId, 'started', { runner_id: runnerId })).statusCode).toBe(404);
      expect((await client.call('GET', '/runs', stranger)).json().runs).toEqual([]);
      expect((await client.call('GET', '/runners', stranger)).json().runners).toEqual([]);
    }
    expect((await client.call('GET', `/runs/${runId}`, tokens.admin)).statusCode).toBe(200);
    expect((await client.run(token, runId)).status).toBe('claimed');
  });

  it("answers 404 to a poll naming another zone's or application's runner and changes nothing: its heartbeat, its stop order, the pending run", async () => {
    const token = await freshApp();
    const { runId: stoppingRun, runnerId } = await runIn('stopping', token);
    const pending = await client.createRun(token);
    const runnerRow = async () =>
      (await harness.database.query('SELECT last_heartbeat_at, lapsed_at FROM runners WHERE id = $1', [runnerId])).rows[0];
    const before = await runnerRow();
    // Long enough that a poll of the runner itself would record a new sign of life.
    harness.clock.advance(5000);
    for (const stranger of [await freshApp('zone_runs_other'), await freshApp()]) {
      const refused = await client.poll(stranger, runnerId);
      expect(refused.statusCode, refused.body).toBe(404);
      expect(refused.json()).toEqual({ error: expect.any(String), error_description: expect.stringContaining(runnerId) });
    }
    expect(await runnerRow()).toEqual(before);
    expect(await client.run(token, pending.run_id)).toMatchObject({ status: 'pending', runner_id: null });
    // The stop order is still there for the runner, and it comes before the pending run.
    const order = await client.poll(token, runnerId);
    expect(order.json()).toEqual({ stop_runs: [stoppingRun], stop_sessions: [expect.any(String)] });
    expect(await client.run(token, pending.run_id)).toMatchObject({ status: 'pending', runner_id: null });
    expect(await runnerRow()).not.toEqual(before);
    // An operator of the zone may poll as any of its runners.
    expect((await client.poll(tokens.admin, runnerId)).json().run).toMatchObject({ run_id: pending.run_id, runner_id: runnerId });
  });

  it('lists runs newest first with filters and paging', async () => {
    const token = await freshApp();
    blueprint('alpha');
    blueprint('beta');
    const first = await client.createRun(token, { agent_name: 'alpha' });
    const second = await client.createRun(token, { agent_name: 'beta' });
    const third = await client.createRun(token, { agent_name: 'alpha' });
    const all = (await client.call('GET', '/runs', token)).json();
    expect(all.runs.map((run: { run_id: string }) => run.run_id)).toEqual([third.run_id, second.run_id, first.run_id]);
    const alpha = (await client.call('GET', '/runs?agent_name=alpha', token)).json();
    expect(alpha.runs.map((run: { run_id: string }) => run.run_id)).toEqual([third.run_id, first.run_id]);
    const page = (await client.call('GET', '/runs?limit=2', token)).json();
    expect(page.runs).toHaveLength(2);
    const rest = (await client.call('GET', `/runs?limit=2&cursor=${page.next_cursor}`, token)).json();
    expect(rest.runs.map((run: { run_id: string }) => run.run_id)).toEqual([first.run_id]);
    expect(rest.next_cursor).toBeNull();
    const bySession = (await client.call('GET', `/runs?session_id=${second.session_id}&status=pending`, token)).json();
    expect(bySession.runs.map((run: { run_id: string }) => run.run_id)).toEqual([second.run_id]);
  });

  it('stops a session: its run under way, not one already completed, and the runner gets the stop order', async () => {
    const token = await freshApp();
    const { runId, runnerId, sessionId } = await runIn('running', token);
    await client.report(token, runId, 'completed', { runner_id: runnerId, session_status: 'idle' });
    const resumed = await client.call('POST', '/runs', token, { type: 'resume_session', session_id: sessionId, parameters: { prompt: 'again' } });
    const resumedId = resumed.json().run_id as string;
    expect((await client.poll(token, runnerId)).json().run.run_id).toBe(resumedId);
    await client.report(token, resumedId, 'started', { runner_id: runnerId });
    const stop = await client.call('POST', `/sessions/${sessionId}/stop`, token);
    expect(stop.statusCode, stop.body).toBe(200);
    expect(stop.json().run).toMatchObject({ run_id: resumedId, status: 'stopping' });
    expect((await client.run(token, runId)).status).toBe('completed');
    expect(await client.session(sessionId)).toMatchObject({ run_status: 'stopping' });
    const order = await client.poll(token, runnerId);
    expect(order.json()).toEqual({ stop_runs: [resumedId], stop_sessions: [sessionId] });
    // The order is handed out once.
    expect((await client.poll(token, runnerId)).statusCode).toBe(204);
    await client.report(token, resumedId, 'stopped', { runner_id: runnerId });
    expect(await client.session(sessionId)).toMatchObject({ run_status: 'stopped', status: 'terminated' });
    const none = await client.call('POST', `/sessions/${sessionId}/stop`, token);
    expect(none.statusCode).toBe(409);
    expect((await client.call('POST', '/sessions/agentsess_01jz0000000000000000000000/stop', token)).statusCode).toBe(404);
  });

  it('wakes a waiting long poll when a run is created', async () => {
    const token = await freshApp();
    const runnerId = await client.register(token);
    const polling = client.poll(token, runnerId, 30);
    const created = await client.createRun(token);
    const answer = await polling;
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json().run.run_id).toBe(created.run_id);
  });

  it('wakes a waiting long poll with a stop order', async () => {
    const token = await freshApp();
    const { runId, runnerId, sessionId } = await runIn('running', token);
    const polling = client.poll(token, runnerId, 30);
    expect((await client.call('POST', `/runs/${runId}/stop`, token)).statusCode).toBe(200);
    expect((await polling).json()).toEqual({ stop_runs: [runId], stop_sessions: [sessionId] });
  });

  it('fails a pending run no runner claims within the timeout, and its session', async () => {
    const token = await freshApp();
    const { run_id: runId, session_id: sessionId } = await client.createRun(token);
    harness.clock.advance((DEFAULT_RUN_SETTINGS.noMatchTimeoutSeconds - 1) * 1000);
    await sweep();
    expect((await client.run(token, runId)).status).toBe('pending');
    harness.clock.advance(2000);
    await sweep();
    expect(await client.run(token, runId)).toMatchObject({ status: 'failed', error: expect.stringContaining('no runner claimed') });
    expect(await client.session(sessionId)).toMatchObject({ run_status: 'failed', status: 'terminated' });
  });

  it('takes back the runs of a runner whose heartbeat lapsed: claimed → pending, running → failed', async () => {
    const token = await freshApp();
    const running = await runIn('running', token);
    const claimedRun = await client.createRun(token);
    expect((await client.poll(token, running.runnerId)).json().run.run_id).toBe(claimedRun.run_id);
    const live = await client.register(token, { hostname: 'live-host' });
    harness.clock.advance((DEFAULT_RUN_SETTINGS.heartbeatTimeoutSeconds - 5) * 1000);
    expect((await client.call('POST', '/runner/heartbeat', token, { runner_id: live })).statusCode).toBe(200);
    harness.clock.advance(10_000);
    await sweep();
    expect(await client.run(token, running.runId)).toMatchObject({ status: 'failed', error: expect.stringContaining('runner was lost') });
    expect(await client.session(running.sessionId)).toMatchObject({ run_status: 'failed', status: 'terminated' });
    expect(await client.run(token, claimedRun.run_id)).toMatchObject({ status: 'pending', runner_id: null });
    const runners = (await client.call('GET', '/runners', token)).json().runners as Array<{ runner_id: string; status: string }>;
    expect(runners.find((runner) => runner.runner_id === running.runnerId)?.status).toBe('lapsed');
    expect(runners.find((runner) => runner.runner_id === live)?.status).toBe('online');
    // The live runner takes the run back up.
    expect((await client.poll(token, live)).json().run.run_id).toBe(claimedRun.run_id);
  });

  it('tells a runner alive after its lapse, at its next heartbeat and once, which of its runs were failed meanwhile', async () => {
    const token = await freshApp();
    const lost = await runIn('running', token);
    const finished = await client.createRun(token);
    expect((await client.poll(token, lost.runnerId)).json().run.run_id).toBe(finished.run_id);
    await client.report(token, finished.run_id, 'started', { runner_id: lost.runnerId });
    expect((await client.report(token, finished.run_id, 'failed', { runner_id: lost.runnerId, error: 'the agent gave up' })).statusCode).toBe(200);
    const other = await runIn('running', token);
    const heartbeat = (runnerId: string) => client.call('POST', '/runner/heartbeat', token, { runner_id: runnerId });
    expect((await heartbeat(lost.runnerId)).json()).toEqual({ ok: true, lost_runs: [] });
    harness.clock.advance((DEFAULT_RUN_SETTINGS.heartbeatTimeoutSeconds + 5) * 1000);
    expect((await heartbeat(other.runnerId)).statusCode).toBe(200);
    await sweep();
    expect(await client.run(token, lost.runId)).toMatchObject({ status: 'failed', error: expect.stringContaining('runner was lost') });
    // Its own failed report is not the server's doing; another runner's runs are not its business.
    expect((await heartbeat(lost.runnerId)).json()).toEqual({ ok: true, lost_runs: [lost.runId] });
    expect((await heartbeat(lost.runnerId)).json()).toEqual({ ok: true, lost_runs: [] });
    expect((await heartbeat(other.runnerId)).json()).toEqual({ ok: true, lost_runs: [] });
    expect(await client.run(token, other.runId)).toMatchObject({ status: 'running' });
    // Told, not stopped: the run stays failed, and a late report from the runner is refused.
    expect((await client.report(token, lost.runId, 'completed', { runner_id: lost.runnerId })).statusCode).toBe(409);
    expect(await client.run(token, lost.runId)).toMatchObject({ status: 'failed' });
  });

  it('a poll with claim=false (its runner at its cap) takes no run, hands out stop orders, and is woken by them only', async () => {
    const token = await freshApp();
    const { runId, runnerId, sessionId } = await runIn('running', token);
    const pending = await client.createRun(token);
    const capped = (waitSeconds = 0) => client.call('GET', `/runner/runs?runner_id=${runnerId}&wait_seconds=${waitSeconds}&claim=false`, token);
    expect((await capped()).statusCode).toBe(204);
    expect(await client.run(token, pending.run_id)).toMatchObject({ status: 'pending', runner_id: null });
    const waiting = capped(30);
    // New work does not wake it (it would not take it); its stop order does.
    const more = await client.createRun(token);
    expect((await client.call('POST', `/runs/${runId}/stop`, token)).statusCode).toBe(200);
    expect((await waiting).json()).toEqual({ stop_runs: [runId], stop_sessions: [sessionId] });
    expect(await client.run(token, more.run_id)).toMatchObject({ status: 'pending' });
    // claim=true (the default) takes the oldest again.
    const claimed = await client.call('GET', `/runner/runs?runner_id=${runnerId}&wait_seconds=0&claim=true`, token);
    expect(claimed.json().run.run_id).toBe(pending.run_id);
    const refused = await client.call('GET', `/runner/runs?runner_id=${runnerId}&claim=maybe`, token);
    expect(refused.statusCode).toBe(400);
    expect(await client.run(token, more.run_id)).toMatchObject({ status: 'pending' });
  });

  it('releases the runs of a removed runner', async () => {
    const token = await freshApp();
    const { runId, runnerId } = await runIn('claimed', token);
    expect((await client.call('DELETE', `/runners/${runnerId}`, token)).statusCode).toBe(200);
    expect(await client.run(token, runId)).toMatchObject({ status: 'pending', runner_id: null });
    expect((await client.poll(token, runnerId)).statusCode).toBe(404);
  });

  it('serves only the blueprints a runner names', async () => {
    const token = await freshApp();
    blueprint('coder');
    const plain = await client.createRun(token);
    const named = await client.createRun(token, { agent_name: 'coder' });
    const runnerId = await client.register(token, { blueprints: ['coder'] });
    expect((await client.poll(token, runnerId)).json().run.run_id).toBe(named.run_id);
    expect((await client.poll(token, runnerId)).statusCode).toBe(204);
    expect((await client.run(token, plain.run_id)).status).toBe('pending');
  });

  it('offers a run only to runners whose blueprints or tags match it; a tagged runner is woken by a matching run', async () => {
    const token = await freshApp();
    blueprint('tag-gpu', { tags: ['gpu', 'research'] });
    blueprint('tag-cpu', { tags: ['cpu'] });
    blueprint('tag-none');
    const gpu = await client.register(token, { hostname: 'tag-gpu-host', tags: ['gpu'] });
    const mixed = await client.register(token, { hostname: 'tag-mixed-host', tags: ['cpu'], blueprints: ['tag-none'] });
    const any = await client.register(token, { hostname: 'tag-any-host' });
    // The gpu runner waits; a cpu run must not be handed to it, a gpu run must wake it.
    const waiting = client.poll(token, gpu, 20);
    const cpuRun = await client.createRun(token, { agent_name: 'tag-cpu' });
    const gpuRun = await client.createRun(token, { agent_name: 'tag-gpu' });
    const woken = await waiting;
    expect(woken.statusCode, woken.body).toBe(200);
    expect(woken.json().run.run_id).toBe(gpuRun.run_id);
    const plain = await client.createRun(token);
    const named = await client.createRun(token, { agent_name: 'tag-none' });
    expect((await client.poll(token, gpu)).statusCode).toBe(204);
    expect((await client.poll(token, mixed)).json().run.run_id).toBe(cpuRun.run_id);
    expect((await client.poll(token, mixed)).json().run.run_id).toBe(named.run_id);
    expect((await client.poll(token, mixed)).statusCode).toBe(204);
    expect((await client.poll(token, any)).json().run.run_id).toBe(plain.run_id);
  });

  it('answers registering again with the same runner id', async () => {
    const token = await freshApp();
    const first = await client.register(token, { tags: ['gpu'] });
    expect(await client.register(token, { tags: ['cpu'] })).toBe(first);
    const listed = (await client.call('GET', '/runners', token)).json().runners;
    expect(listed).toEqual([expect.objectContaining({ runner_id: first, tags: ['cpu'], status: 'online' })]);
  });

  it('refuses bad input with a clear 4xx and changes nothing', async () => {
    const token = await freshApp();
    const { session_id: sessionId, run_id: runId } = await client.createRun(token);
    const count = async () => (await harness.database.query<{ n: number }>('SELECT count(*)::int AS n FROM runs')).rows[0]!.n;
    const sessions = async () => (await harness.database.query<{ n: number }>('SELECT count(*)::int AS n FROM agent_sessions')).rows[0]!.n;
    const before = { runs: await count(), sessions: await sessions() };
    const bad: Array<[unknown, number]> = [
      [{ type: 'start_session', parameters: {} }, 400],
      [{ type: 'start_session', parameters: { prompt: '' } }, 400],
      [{ type: 'start_session', parameters: { prompt: 42 } }, 400],
      [{ type: 'start_session', parameters: { prompt: 'x'.repeat(100_001) } }, 400],
      [{ type: 'start_session', parameters: { prompt: 'x', blob: 'y'.repeat(140_000) } }, 400],
      [{ type: 'start_session', parameters: { prompt: 'x', blob: 'y'.repeat(300_000) } }, 413],
      [{ type: 'start_session', parameters: { prompt: 'a\u0000b' } }, 400],
      [{ type: 'start_session', agent_name: '..', parameters: { prompt: 'x' } }, 400],
      [{ type: 'start_session', agent_name: '../../etc', parameters: { prompt: 'x' } }, 400],
      [{ type: 'start_session', agent_name: 'a'.repeat(61), parameters: { prompt: 'x' } }, 400],
      [{ type: 'start_session', parent_session_id: 'agentsess_01jz0000000000000000000000', parameters: { prompt: 'x' } }, 404],
      [{ type: 'resume_session', parameters: { prompt: 'x' } }, 400],
      [{ type: 'resume_session', session_id: 'agentsess_01jz0000000000000000000000', parameters: { prompt: 'x' } }, 404],
      [{ type: 'resume_session', session_id: sessionId, parameters: { prompt: 'x' } }, 409],
      [{ type: 'other', parameters: { prompt: 'x' } }, 400],
      [{ type: 'start_session', parameters: { prompt: 'x' }, extra: 1 }, 400],
    ];
    for (const [body, status] of bad) {
      const response = await client.call('POST', '/runs', token, body);
      expect(response.statusCode, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect(response.json()).toEqual({ error: expect.any(String), error_description: expect.any(String) });
    }
    const runnerId = await client.register(token);
    const badRunner: Array<[string, string, unknown, number]> = [
      ['POST', '/runner/register', { hostname: 'h' }, 400],
      ['POST', '/runner/register', { hostname: 'h\u0000', project_dir: '/p', executor_profile: 'p', executor: { type: 't' } }, 400],
      ['POST', '/runner/register', { hostname: 'h', project_dir: '/p', executor_profile: 'p', executor: { type: 't' }, blueprints: ['../x'] }, 400],
      ['GET', '/runner/runs?runner_id=runner_..%2F..', undefined, 400],
      ['GET', `/runner/runs?runner_id=${runnerId}&wait_seconds=-1`, undefined, 400],
      ['GET', '/runner/runs?runner_id=runner_01jz0000000000000000000000', undefined, 404],
      ['POST', `/runner/runs/${runId}/failed`, { runner_id: runnerId }, 400],
      ['POST', `/runner/runs/${runId}/completed`, { runner_id: runnerId, session_status: 'gone' }, 400],
      ['POST', `/runner/runs/${runId}/started`, { runner_id: 'runner_x' }, 400],
      ['POST', '/runner/runs/run_01jz0000000000000000000000/started', { runner_id: runnerId }, 404],
      ['GET', '/runs/..%2F..', undefined, 400],
      ['GET', '/runs?status=nope', undefined, 400],
      ['POST', '/runs/run_01jz0000000000000000000000/stop', undefined, 404],
      ['DELETE', '/runners/runner_01jz0000000000000000000000', undefined, 404],
    ];
    for (const [method, url, body, status] of badRunner) {
      const response = await client.call(method, url, token, body);
      expect(response.statusCode, `${method} ${url}`).toBe(status);
      expect(response.json()).toEqual({ error: expect.any(String), error_description: expect.any(String) });
    }
    expect({ runs: await count(), sessions: await sessions() }).toEqual(before);
    expect((await client.run(token, runId)).status).toBe('pending');
  });

  it('refuses calls without a lifecycle mandate', async () => {
    const response = await harness.call({ method: 'GET', url: '/runs' });
    expect(response.statusCode).toBe(401);
    const noScope = await harness.mint({ zoneId: ZONE, clientId: 'app_reader', scopes: ['files:read'] });
    expect((await client.call('POST', '/runner/register', noScope, {})).statusCode).toBe(403);
  });
});

import type { ServerResponse } from 'node:http';
import { describe, expect, vi } from 'vitest';
import { current, isCaracalError, type CaracalContext } from '../../src/index.ts';
import { createRunner, type Run, type RunnerErrorEvent } from '../../src/runner/index.ts';
import { clientTest as test } from '../support/client-fixture.ts';
import { sendJson, type FakeCaracalServer } from '../support/fake-caracal-server.ts';

const RUNNER_ID = 'runner_01m91xnhjdzb65087azjdqcck0';

function wireRun(runId: string): Run {
  const at = '2026-12-05T00:00:00.000Z';
  return {
    run_id: runId,
    type: 'start_session',
    session_id: `agentsess_${runId.slice(4)}`,
    application_id: 'app_test',
    agent_name: 'researcher',
    parameters: { prompt: 'find it' },
    project_dir: null,
    parent_session_id: null,
    execution_mode: null,
    status: 'claimed',
    runner_id: RUNNER_ID,
    error: null,
    result: null,
    session_status: null,
    created_at: at,
    claimed_at: at,
    started_at: null,
    completed_at: null,
    updated_at: at,
  };
}

/**
 * Plays the runner routes: registration, a queue of poll answers (an empty queue answers 204 after
 * a short hold, like a long poll that found nothing), reports, heartbeat and deregistration.
 */
/**
 * A runner whose agent works until its signal aborts, then settles with the abort reason; it
 * resolves once the agent has started.
 */
async function runUntilAborted(caracal: Parameters<typeof createRunner>[0]['caracal'], settle: 'resolve' | 'reject') {
  let reason: unknown;
  let executing!: () => void;
  const started = new Promise<void>((resolve) => (executing = resolve));
  const runner = await createRunner({
    caracal,
    execute: (_run, { signal }) =>
      new Promise((resolve, reject) => {
        executing();
        signal.addEventListener('abort', () => (settle === 'resolve' ? resolve : reject)((reason = signal.reason)), { once: true });
      }),
  });
  await started;
  return { runner, reason: () => reason };
}

function runnerRoutes(server: FakeCaracalServer): { answers: Array<(response: ServerResponse) => void>; reports: () => Array<{ path: string; body: unknown }> } {
  const answers: Array<(response: ServerResponse) => void> = [];
  server.route('POST /runner/register', (_request, response) => sendJson(response, 200, { runner_id: RUNNER_ID, heartbeat_interval_seconds: 20, poll_timeout_seconds: 30 }));
  server.route('GET /runner/runs', (_request, response) => {
    const next = answers.shift();
    if (next !== undefined) return next(response);
    setTimeout(() => response.writeHead(204).end(), 10);
  });
  server.route('POST /runner/runs/*/*', (_request, response) => sendJson(response, 200, { run: {} }));
  server.route('POST /runner/heartbeat', (_request, response) => sendJson(response, 200, { ok: true }));
  server.route('DELETE /runners/*', (_request, response) => sendJson(response, 200, { ok: true }));
  return {
    answers,
    reports: () => server.requests.filter((request) => request.path.startsWith('/runner/runs/')).map((request) => ({ path: request.path, body: request.json })),
  };
}

describe('createRunner', () => {
  test('registers, executes a claimed run in its session context, and reports started then completed with the result', async ({ server, caracal }) => {
    const routes = runnerRoutes(server);
    const run = wireRun('run_01m91xnjwj1cxh7zzrv9g21ag5');
    routes.answers.push((response) => sendJson(response, 200, { run }));
    const seen: Array<CaracalContext | undefined> = [];
    const runner = await createRunner({
      caracal,
      blueprints: ['researcher'],
      tags: ['gpu'],
      hostname: 'host-a',
      projectDir: '/work',
      execute: (received, { context }) => {
        seen.push(current(), context);
        return { answer: 42, prompt: received.parameters.prompt };
      },
    });
    expect(runner.runnerId).toBe(RUNNER_ID);
    expect(server.requestsTo('POST /runner/register')[0]?.json).toEqual({
      hostname: 'host-a',
      project_dir: '/work',
      executor_profile: 'default',
      executor: { type: 'caracal-sdk', command: null },
      tags: ['gpu'],
      blueprints: ['researcher'],
    });
    await vi.waitFor(() => expect(routes.reports()).toHaveLength(2));
    await runner.close();

    expect(seen[0]).toBe(seen[1]);
    expect(seen[0]).toMatchObject({ agentSessionId: run.session_id, zoneId: 'zone_test', clientId: 'app_test', hop: 0 });
    expect(routes.reports()).toEqual([
      { path: `/runner/runs/${run.run_id}/started`, body: { runner_id: RUNNER_ID } },
      { path: `/runner/runs/${run.run_id}/completed`, body: { runner_id: RUNNER_ID, status: 'completed', session_status: 'finished', result: { answer: 42, prompt: 'find it' } } },
    ]);
    // The result reached the session's timeline before the run's end.
    const order = server.requests.map((request) => request.path);
    const resultPost = server.requests.findIndex((request) => request.path === `/sessions/${run.session_id}/events`);
    expect(resultPost).toBeGreaterThan(-1);
    expect(JSON.stringify(server.requests[resultPost]!.json)).toContain('"event_type":"result"');
    expect(resultPost).toBeLessThan(order.indexOf(`/runner/runs/${run.run_id}/completed`));
    expect(server.requestsTo('DELETE /runners/*').map((request) => request.path)).toEqual([`/runners/${RUNNER_ID}`]);
  });

  test('a throw reports the run failed with the error, never its stack', async ({ server, caracal }) => {
    const routes = runnerRoutes(server);
    const run = wireRun('run_01m91xnjwj1cxh7zzrv9g21ag6');
    routes.answers.push((response) => sendJson(response, 200, { run }));
    const runner = await createRunner({ caracal, execute: () => Promise.reject(new TypeError('the model said no')) });
    await vi.waitFor(() => expect(routes.reports()).toHaveLength(2));
    await runner.close();
    expect(routes.reports()[1]).toEqual({ path: `/runner/runs/${run.run_id}/failed`, body: { runner_id: RUNNER_ID, error: 'TypeError: the model said no' } });
  });

  test('a stop order aborts the signal with RUN_STOPPED and the run is reported stopped', async ({ server, caracal }) => {
    const routes = runnerRoutes(server);
    const run = wireRun('run_01m91xnjwj1cxh7zzrv9g21ag7');
    routes.answers.push((response) => sendJson(response, 200, { run }));
    const { runner, reason } = await runUntilAborted(caracal, 'resolve');
    routes.answers.push((response) => sendJson(response, 200, { stop_runs: [run.run_id], stop_sessions: [run.session_id] }));
    await vi.waitFor(() => expect(routes.reports().map((report) => report.path.split('/').at(-1))).toEqual(['started', 'stopped']));
    expect(isCaracalError(reason())).toBe(true);
    expect(reason()).toMatchObject({ code: 'RUN_STOPPED' });
    // A stop order for a run it no longer holds is answered at once.
    routes.answers.push((response) => sendJson(response, 200, { stop_runs: ['run_01m91xnjwj1cxh7zzrv9g21ag8'], stop_sessions: ['agentsess_01m91xnjwj1cxh7zzrv9g21ag8'] }));
    await vi.waitFor(() => expect(routes.reports().at(-1)?.path).toBe('/runner/runs/run_01m91xnjwj1cxh7zzrv9g21ag8/stopped'));
    await runner.close();
  });

  test('a run the Coordinator failed while it took the runner for lost, named by a heartbeat, is aborted with RUN_STOPPED and not reported', async ({ server, caracal }) => {
    const routes = runnerRoutes(server);
    const run = wireRun('run_01m91xnjwj1cxh7zzrv9g21ak1');
    const lostRuns = [run.run_id];
    server.route('POST /runner/heartbeat', (_request, response) => sendJson(response, 200, { ok: true, lost_runs: lostRuns.splice(0) }));
    routes.answers.push((response) => sendJson(response, 200, { run }));
    // Only the heartbeat's interval is faked: the runner's requests and the agent run as usual.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const { runner, reason } = await runUntilAborted(caracal, 'resolve');
      await vi.waitFor(() => expect(routes.reports()).toHaveLength(1));
      vi.advanceTimersByTime(20_000);
      await vi.waitFor(() => expect(reason()).toMatchObject({ code: 'RUN_STOPPED', message: expect.stringContaining('took its runner for lost') }));
      await vi.waitFor(() => expect(runner.activeRuns).toBe(0));
      vi.advanceTimersByTime(20_000);
      await vi.waitFor(() => expect(server.requestsTo('POST /runner/heartbeat')).toHaveLength(2));
      await runner.close();
    } finally {
      vi.useRealTimers();
    }
    // The run is over at the server already: only its start was reported.
    expect(routes.reports().map((report) => report.path)).toEqual([`/runner/runs/${run.run_id}/started`]);
  });

  test('registered again under a new id (the runner was removed meanwhile), it lets go of the runs under way without reporting them', async ({ server, caracal }) => {
    const routes = runnerRoutes(server);
    const ids = [RUNNER_ID, 'runner_01m91xnhjdzb65087azjdqcck1'];
    server.route('POST /runner/register', (_request, response) =>
      sendJson(response, 200, { runner_id: ids.length > 1 ? ids.shift() : ids[0], heartbeat_interval_seconds: 20, poll_timeout_seconds: 30 }),
    );
    const run = wireRun('run_01m91xnjwj1cxh7zzrv9g21ak2');
    routes.answers.push((response) => sendJson(response, 200, { run }));
    const { runner, reason } = await runUntilAborted(caracal, 'resolve');
    await vi.waitFor(() => expect(routes.reports()).toHaveLength(1));
    routes.answers.push((response) => sendJson(response, 404, { error: 'not_found', error_description: 'runner not found' }));
    await vi.waitFor(() => expect(reason()).toMatchObject({ code: 'RUN_STOPPED', message: expect.stringContaining('runner was removed') }));
    await vi.waitFor(() => expect(runner.activeRuns).toBe(0));
    expect(runner.runnerId).toBe('runner_01m91xnhjdzb65087azjdqcck1');
    await runner.close();
    expect(routes.reports().map((report) => report.path)).toEqual([`/runner/runs/${run.run_id}/started`]);
  });

  test('at maxConcurrentRuns it polls for stop orders only, and takes work again as soon as a run ends', async ({ server, caracal }) => {
    const routes = runnerRoutes(server);
    const polls: string[] = [];
    let heldCapPoll: ServerResponse | undefined;
    const capPollClosed = new Promise<void>((resolve) => {
      server.route('GET /runner/runs', (_request, response, raw) => {
        const claim = new URL(raw.url ?? '', 'http://runner').searchParams.get('claim') ?? 'true';
        polls.push(claim);
        const next = claim === 'true' ? routes.answers.shift() : undefined;
        if (next !== undefined) return next(response);
        if (claim === 'false' && heldCapPoll === undefined) {
          // Held like a long poll with nothing to hand out; the runner must hang up on it.
          heldCapPoll = response;
          response.once('close', () => resolve());
          return;
        }
        setTimeout(() => response.writeHead(204).end(), 10);
      });
    });
    const first = wireRun('run_01m91xnjwj1cxh7zzrv9g21ak3');
    const second = wireRun('run_01m91xnjwj1cxh7zzrv9g21ak4');
    routes.answers.push((response) => sendJson(response, 200, { run: first }));
    let finishFirst!: () => void;
    const executed: string[] = [];
    const runner = await createRunner({
      caracal,
      maxConcurrentRuns: 1,
      execute: (run) => {
        executed.push(run.run_id);
        return run.run_id === first.run_id ? new Promise<string>((resolve) => (finishFirst = () => resolve('first'))) : 'second';
      },
    });
    await vi.waitFor(() => expect(heldCapPoll).toBeDefined());
    expect(runner.activeRuns).toBe(1);
    expect(polls).toEqual(['true', 'false']);
    routes.answers.push((response) => sendJson(response, 200, { run: second }));
    finishFirst();
    await capPollClosed;
    await vi.waitFor(() => expect(executed).toEqual([first.run_id, second.run_id]));
    await vi.waitFor(() => expect(routes.reports()).toHaveLength(4));
    await runner.close();
    expect(polls.slice(0, 3)).toEqual(['true', 'false', 'true']);
    await expect(createRunner({ caracal, execute: () => undefined, maxConcurrentRuns: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', setting: 'maxConcurrentRuns' });
  });

  test('when the Coordinator goes away it backs off, registers again, and goes on', async ({ server, caracal }) => {
    const routes = runnerRoutes(server);
    const errors: RunnerErrorEvent[] = [];
    const runner = await createRunner({ caracal, execute: () => 'done', onError: (event) => void errors.push(event) });
    for (let index = 0; index < 3; index++) routes.answers.push((response) => sendJson(response, 503, { error: 'unavailable', error_description: 'restarting' }));
    const run = wireRun('run_01m91xnjwj1cxh7zzrv9g21ag9');
    routes.answers.push((response) => sendJson(response, 200, { run }));
    await vi.waitFor(() => expect(routes.reports().map((report) => report.path.split('/').at(-1))).toEqual(['started', 'completed']));
    await runner.close();
    expect(errors.map((event) => event.step)).toEqual(['poll', 'poll', 'poll']);
    // Registered again after each failure, as the same runner.
    expect(server.requestsTo('POST /runner/register')).toHaveLength(4);
    expect(routes.reports()[1]?.body).toMatchObject({ result: 'done' });
  });

  test('close() aborts runs under way with RUNNER_CLOSED, reports them failed, then deregisters', async ({ server, caracal }) => {
    const routes = runnerRoutes(server);
    const run = wireRun('run_01m91xnjwj1cxh7zzrv9g21aga');
    routes.answers.push((response) => sendJson(response, 200, { run }));
    const { runner, reason } = await runUntilAborted(caracal, 'reject');
    expect(runner.activeRuns).toBe(1);
    await runner.close();
    expect(isCaracalError(reason())).toBe(true);
    expect(reason()).toMatchObject({ code: 'RUNNER_CLOSED' });
    expect(routes.reports().at(-1)).toEqual({ path: `/runner/runs/${run.run_id}/failed`, body: { runner_id: RUNNER_ID, error: 'the runner closed while the run was under way' } });
    expect(runner.activeRuns).toBe(0);
    const paths = server.requests.map((request) => `${request.method} ${request.path}`);
    expect(paths.indexOf(`DELETE /runners/${RUNNER_ID}`)).toBeGreaterThan(paths.indexOf(`POST /runner/runs/${run.run_id}/failed`));
  });

  test('a refused registration rejects with its typed error; bad options are refused before any request', async ({ server, caracal }) => {
    server.route('POST /runner/register', (_request, response) => sendJson(response, 403, { error: 'insufficient_scope', error_description: 'needs agent:lifecycle' }));
    await expect(createRunner({ caracal, execute: () => undefined })).rejects.toMatchObject({ code: 'FORBIDDEN', serverCode: 'insufficient_scope' });
    const before = server.requests.length;
    await expect(createRunner({ caracal, execute: 'no' as never })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', setting: 'execute' });
    await expect(createRunner({ caracal: {} as never, execute: () => undefined })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', setting: 'caracal' });
    await expect(createRunner({ caracal, execute: () => undefined, pollWaitSeconds: -1 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', setting: 'pollWaitSeconds' });
    expect(server.requests.length).toBe(before);
  });
});

import {
  CompletedRunBody,
  EmptyBody,
  FailedRunBody,
  HeartbeatAnswer,
  NoWork,
  RegisteredRunner,
  RegisterRunnerBody,
  RunAnswer,
  RunnerAck,
  RunnerBody,
  RunnerList,
  RunnerParams,
  RunnerPollAnswer,
  RunnerPollQuery,
  RunParams,
  RUN_RESULT_MAX_BYTES,
} from '@caracal/protocol';
import type { FastifyRequest } from 'fastify';
import type { RoutePlugin } from '../../http/route-plugin.ts';
import type { ServerContext } from '../../server-context.ts';
import type { RunMove } from '../runs/run-moves.ts';
import { runView } from '../runs/run-row.ts';
import { runSettingsOf } from '../runs/run-settings.ts';
import { visibleApplication } from '../shared/access.ts';
import { COORDINATOR_BODY_LIMIT, principalOf } from '../shared/request-principal.ts';
import { OPTIONAL_BODY } from '../shared/route-requests.ts';
import { pollHangUp } from './poll-hang-up.ts';
import { pollForWork } from './runner-poll.ts';
import { listRunners } from './runner-repository.ts';
import { runnerView } from './runner-row.ts';
import { heartbeat, registerRunner, removeRunner, reportRun } from './runner-service.ts';
import { openRunWakeups } from './run-wakeups.ts';

/** A completed run's body carries its result. */
const COMPLETED_BODY_LIMIT = 2 * RUN_RESULT_MAX_BYTES;

/**
 * The runner protocol (docs/runs.md): register, long-poll for work or stop orders, report
 * started / completed / failed / stopped, heartbeat; `GET /runners`, `DELETE /runners/{id}`.
 * A runner is an application holding `agent:lifecycle` in its zone.
 */
export const runnerRoutes: RoutePlugin<{ context: ServerContext }> = async (app, { context }) => {
  const wakeups = await openRunWakeups(context.database);
  // Polls held open would hold up shutdown: they answer 204 at once when the server closes.
  app.addHook('preClose', async () => {
    await wakeups.close();
  });

  app.post(
    '/runner/register',
    { bodyLimit: COORDINATOR_BODY_LIMIT, schema: { body: RegisterRunnerBody, response: { 200: RegisteredRunner } } },
    async (request) => registerRunner(context, principalOf(request), request.body),
  );

  app.get('/runner/runs', { schema: { querystring: RunnerPollQuery, response: { 200: RunnerPollAnswer, 204: NoWork } } }, async (request, reply) => {
    const limit = runSettingsOf(context).pollTimeoutSeconds;
    const seconds = request.query.wait_seconds === undefined ? limit : Math.min(Number(request.query.wait_seconds), limit);
    const hangUp = pollHangUp(reply.raw);
    const answer = await pollForWork(context, wakeups, {
      principal: principalOf(request),
      runnerId: request.query.runner_id,
      waitMs: seconds * 1000,
      claim: request.query.claim !== 'false',
      signal: hangUp.signal,
    }).finally(hangUp.release);
    return answer === undefined ? reply.status(204).send(null) : answer;
  });

  const report = (path: string, move: (request: FastifyRequest & { body: { runner_id: string } }) => RunMove, bodyLimit = COORDINATOR_BODY_LIMIT) =>
    app.post(path, { bodyLimit, schema: { params: RunParams, body: reportBodies[path]!, response: { 200: RunAnswer } } }, async (request) => {
      const typed = request as FastifyRequest & { params: RunParams; body: { runner_id: string } };
      const moved = await reportRun(context, principalOf(request), { runId: typed.params.id, runnerId: typed.body.runner_id, move: move(typed) });
      return { run: runView(moved) };
    });
  const reportBodies: Record<string, typeof RunnerBody | typeof CompletedRunBody | typeof FailedRunBody> = {
    '/runner/runs/:id/started': RunnerBody,
    '/runner/runs/:id/completed': CompletedRunBody,
    '/runner/runs/:id/failed': FailedRunBody,
    '/runner/runs/:id/stopped': RunnerBody,
  };
  report('/runner/runs/:id/started', () => ({ to: 'running', reason: 'runner_started' }));
  report(
    '/runner/runs/:id/completed',
    (request) => {
      const body = request.body as CompletedRunBody;
      return { to: 'completed', sessionStatus: body.session_status ?? 'finished', result: body.result ?? null, reason: 'runner_completed' };
    },
    COMPLETED_BODY_LIMIT,
  );
  report('/runner/runs/:id/failed', (request) => ({ to: 'failed', error: (request.body as FailedRunBody).error, reason: 'runner_failed' }));
  report('/runner/runs/:id/stopped', () => ({ to: 'stopped', reason: 'runner_stopped' }));

  app.post('/runner/heartbeat', { bodyLimit: COORDINATOR_BODY_LIMIT, schema: { body: RunnerBody, response: { 200: HeartbeatAnswer } } }, async (request) => ({
    ok: true as const,
    lost_runs: await heartbeat(context, principalOf(request), request.body.runner_id),
  }));

  app.get('/runners', { schema: { response: { 200: RunnerList } } }, async (request) => {
    const principal = principalOf(request);
    const rows = await listRunners(context.database, principal.zoneId, visibleApplication(principal, undefined));
    return { runners: rows.map(runnerView) };
  });

  app.delete(
    '/runners/:id',
    { ...OPTIONAL_BODY, schema: { params: RunnerParams, body: EmptyBody, response: { 200: RunnerAck } } },
    async (request) => {
      await removeRunner(context, principalOf(request), request.params.id);
      return { ok: true as const };
    },
  );
};

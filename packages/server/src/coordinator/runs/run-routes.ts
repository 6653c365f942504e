import {
  CreatedRun,
  CreateRunBody,
  EmptyBody,
  idPatterns,
  ListRunsQuery,
  RunAnswer,
  RunPage,
  RunParams,
  RUN_PARAMETERS_MAX_BYTES,
  StopSessionParams,
} from '@caracal/protocol';
import { listedPage } from '../../http/pagination.ts';
import type { RoutePlugin } from '../../http/route-plugin.ts';
import type { ServerContext } from '../../server-context.ts';
import { visibleApplication } from '../shared/access.ts';
import { principalOf } from '../shared/request-principal.ts';
import { OPTIONAL_BODY } from '../shared/route-requests.ts';
import { assertRunVisible } from './run-access.ts';
import { findRun, listRuns } from './run-repository.ts';
import { runView, type RunRow } from './run-row.ts';
import { createRun, stopRun, stopSessionRun } from './run-service.ts';

/** `POST /runs` carries the parameters (bounded on their own) and a little more. */
const RUN_BODY_LIMIT = 2 * RUN_PARAMETERS_MAX_BYTES;

/** `/runs…` and `POST /sessions/{id}/stop` (docs/runs.md); the zone is the mandate's. */
export const runRoutes: RoutePlugin<{ context: ServerContext }> = async (app, { context }) => {
  app.post(
    '/runs',
    { bodyLimit: RUN_BODY_LIMIT, schema: { body: CreateRunBody, response: { 201: CreatedRun } } },
    async (request, reply) => reply.status(201).send(await createRun(context, principalOf(request), request.body)),
  );

  app.get('/runs', { schema: { querystring: ListRunsQuery, response: { 200: RunPage } } }, async (request) => {
    const principal = principalOf(request);
    const { query } = request;
    const filters = {
      zoneId: principal.zoneId,
      applicationId: visibleApplication(principal, undefined),
      status: query.status,
      sessionId: query.session_id,
      agentName: query.agent_name,
      runnerId: query.runner_id,
    };
    const keys = { pattern: idPatterns.run, of: (row: RunRow) => row.id };
    const page = await listedPage(query, keys, (pageRequest) => listRuns(context.database, filters, pageRequest), runView);
    return { runs: page.items, next_cursor: page.next_cursor };
  });

  app.get('/runs/:id', { schema: { params: RunParams, response: { 200: RunAnswer } } }, async (request) => {
    const principal = principalOf(request);
    return { run: runView(assertRunVisible(principal, await findRun(context.database, request.params.id), request.params.id)) };
  });

  app.post(
    '/runs/:id/stop',
    { ...OPTIONAL_BODY, schema: { params: RunParams, body: EmptyBody, response: { 200: RunAnswer } } },
    async (request) => ({ run: runView(await stopRun(context, principalOf(request), request.params.id)) }),
  );

  app.post(
    '/sessions/:id/stop',
    { ...OPTIONAL_BODY, schema: { params: StopSessionParams, body: EmptyBody, response: { 200: RunAnswer } } },
    async (request) => ({ run: runView(await stopSessionRun(context, principalOf(request), request.params.id)) }),
  );
};

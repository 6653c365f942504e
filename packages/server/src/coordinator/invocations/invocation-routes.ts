import {
  CancelInvocationBody,
  CompleteInvocationBody,
  CreatedInvocation,
  CreateInvocationBody,
  EmptyBody,
  idPatterns,
  Invocation,
  InvocationPage,
  InvocationParams,
  ListInvocationsQuery,
  ZoneParams,
} from '@caracal/protocol';
import { idKeys, listedPage } from '../../http/pagination.ts';
import type { RoutePlugin } from '../../http/route-plugin.ts';
import type { ServerContext } from '../../server-context.ts';
import { requireOwned, visibleApplication, type ActionTarget } from '../shared/access.ts';
import { COORDINATOR_BODY_LIMIT, principalOf } from '../shared/request-principal.ts';
import { OPTIONAL_BODY, actionTargetOf, createRequestOf } from '../shared/route-requests.ts';
import { listInvocations } from './invocation-repository.ts';
import { invocationView } from './invocation-row.ts';
import { createInvocation, invocationMoves, moveInvocation, requireInvocation, type Move } from './invocation-service.ts';

/** `/zones/{zoneId}/invocations…`: create, start, complete, cancel, read, list. */
export const invocationRoutes: RoutePlugin<{ context: ServerContext }> = async (app, { context }) => {
  app.post(
    '/zones/:zoneId/invocations',
    {
      bodyLimit: COORDINATOR_BODY_LIMIT,
      schema: { params: ZoneParams, body: CreateInvocationBody, response: { 201: CreatedInvocation } },
    },
    async (request, reply) => {
      const result = await createInvocation(context, createRequestOf(request, 'POST /zones/{zoneId}/invocations'));
      return reply.status(201).send(result.body);
    },
  );

  app.get(
    '/zones/:zoneId/invocations',
    { schema: { params: ZoneParams, querystring: ListInvocationsQuery, response: { 200: InvocationPage } } },
    (request) => {
      const { query } = request;
      const filters = {
        zoneId: request.params.zoneId,
        applicationId: visibleApplication(principalOf(request), undefined),
        status: query.status,
        agentSessionId: query.agent_session_id,
        serviceId: query.service_id,
      };
      return listedPage(query, idKeys(idPatterns.invocation), (page) => listInvocations(context.database, filters, page), invocationView);
    },
  );

  app.get(
    '/zones/:zoneId/invocations/:id',
    { schema: { params: InvocationParams, response: { 200: Invocation } } },
    async (request) => invocationView(await requireOwned(context, actionTargetOf(request), requireInvocation, 'invocation')),
  );

  const move = (target: ActionTarget, chosen: Move) => moveInvocation(context, { ...target, move: chosen });

  app.post(
    '/zones/:zoneId/invocations/:id/start',
    { ...OPTIONAL_BODY, schema: { params: InvocationParams, body: EmptyBody, response: { 200: Invocation } } },
    (request) => move(actionTargetOf(request), invocationMoves.start()),
  );

  app.post(
    '/zones/:zoneId/invocations/:id/complete',
    { ...OPTIONAL_BODY, schema: { params: InvocationParams, body: CompleteInvocationBody, response: { 200: Invocation } } },
    (request) => move(actionTargetOf(request), invocationMoves.complete(request.body)),
  );

  app.post(
    '/zones/:zoneId/invocations/:id/cancel',
    { ...OPTIONAL_BODY, schema: { params: InvocationParams, body: CancelInvocationBody, response: { 200: Invocation } } },
    (request) => move(actionTargetOf(request), invocationMoves.cancel(request.body.reason)),
  );
};

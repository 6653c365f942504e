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
import type { FastifyRequest } from 'fastify';
import { treatMissingBodyAsEmpty } from '../../http/optional-body.ts';
import { byId, pageRequest, toPage } from '../../http/pagination.ts';
import type { RoutePlugin } from '../../http/route-plugin.ts';
import type { ServerContext } from '../../server-context.ts';
import { assertOwner, visibleApplication } from '../shared/access.ts';
import { COORDINATOR_BODY_LIMIT, idempotencyKeyOf, principalOf } from '../shared/request-principal.ts';
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
      const result = await createInvocation(context, {
        principal: principalOf(request),
        zoneId: request.params.zoneId,
        body: request.body,
        idempotencyKey: idempotencyKeyOf(request),
        route: 'POST /zones/{zoneId}/invocations',
      });
      return reply.status(201).send(result.body);
    },
  );

  app.get(
    '/zones/:zoneId/invocations',
    { schema: { params: ZoneParams, querystring: ListInvocationsQuery, response: { 200: InvocationPage } } },
    async (request) => {
      const page = pageRequest(request.query, idPatterns.invocation);
      const rows = await listInvocations(
        context.database,
        {
          zoneId: request.params.zoneId,
          applicationId: visibleApplication(principalOf(request), undefined),
          status: request.query.status,
          agentSessionId: request.query.agent_session_id,
          serviceId: request.query.service_id,
        },
        page,
      );
      return toPage(rows, page.limit, invocationView, byId);
    },
  );

  app.get(
    '/zones/:zoneId/invocations/:id',
    { schema: { params: InvocationParams, response: { 200: Invocation } } },
    async (request) => {
      const invocation = await requireInvocation(context, request.params.zoneId, request.params.id);
      assertOwner(principalOf(request), invocation.application_id, `invocation ${invocation.id}`);
      return invocationView(invocation);
    },
  );

  const action = { bodyLimit: COORDINATOR_BODY_LIMIT, preValidation: treatMissingBodyAsEmpty };
  const move = (request: FastifyRequest & { params: InvocationParams }, chosen: Move) =>
    moveInvocation(context, { principal: principalOf(request), zoneId: request.params.zoneId, id: request.params.id, move: chosen });

  app.post(
    '/zones/:zoneId/invocations/:id/start',
    { ...action, schema: { params: InvocationParams, body: EmptyBody, response: { 200: Invocation } } },
    (request) => move(request, invocationMoves.start()),
  );

  app.post(
    '/zones/:zoneId/invocations/:id/complete',
    { ...action, schema: { params: InvocationParams, body: CompleteInvocationBody, response: { 200: Invocation } } },
    (request) => move(request, invocationMoves.complete(request.body)),
  );

  app.post(
    '/zones/:zoneId/invocations/:id/cancel',
    { ...action, schema: { params: InvocationParams, body: CancelInvocationBody, response: { 200: Invocation } } },
    (request) => move(request, invocationMoves.cancel(request.body.reason)),
  );
};

import {
  CancelInvocationBody,
  CompleteInvocationBody,
  CreatedInvocation,
  CreateInvocationBody,
  idPatterns,
  Invocation,
  InvocationPage,
  InvocationParams,
  ListInvocationsQuery,
} from '@caracal/protocol';
import type { RoutePlugin } from '../../http/route-plugin.ts';
import type { ServerContext } from '../../server-context.ts';
import { requireOwned, visibleApplication, type ActionTarget } from '../shared/access.ts';
import { principalOf } from '../shared/request-principal.ts';
import { OPTIONAL_BODY, actionTargetOf } from '../shared/route-requests.ts';
import { zoneActionRoute, zoneCreateRoute, zoneListRoute, zoneReadRoute } from '../shared/zone-routes.ts';
import { listInvocations } from './invocation-repository.ts';
import { invocationView } from './invocation-row.ts';
import { createInvocation, invocationMoves, moveInvocation, requireInvocation, type Move } from './invocation-service.ts';

/** `/zones/{zoneId}/invocations…`: create, start, complete, cancel, read, list. */
export const invocationRoutes: RoutePlugin<{ context: ServerContext }> = async (app, { context }) => {
  zoneCreateRoute(app, {
    collection: 'invocations',
    body: CreateInvocationBody,
    created: CreatedInvocation,
    create: (request) => createInvocation(context, request),
  });

  zoneListRoute(app, context, {
    collection: 'invocations',
    query: ListInvocationsQuery,
    page: InvocationPage,
    idPattern: idPatterns.invocation,
    filters: (request) => ({
      zoneId: request.params.zoneId,
      applicationId: visibleApplication(principalOf(request), undefined),
      status: request.query.status,
      agentSessionId: request.query.agent_session_id,
      serviceId: request.query.service_id,
    }),
    list: listInvocations,
    view: invocationView,
  });

  zoneReadRoute(app, {
    collection: 'invocations',
    params: InvocationParams,
    record: Invocation,
    read: (request) => requireOwned(context, actionTargetOf(request), requireInvocation, 'invocation'),
    view: invocationView,
  });

  const move = (target: ActionTarget, chosen: Move) => moveInvocation(context, { ...target, move: chosen });

  zoneActionRoute(app, { collection: 'invocations', action: 'start', params: InvocationParams, answer: Invocation, act: (target) => move(target, invocationMoves.start()) });

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

import {
  DeregisterResult,
  HeartbeatBody,
  HeartbeatResult,
  idPatterns,
  ListServicesQuery,
  RegisteredService,
  RegisterServiceBody,
  ServiceAgent,
  ServiceAgentPage,
  ServiceAgentParams,
} from '@caracal/protocol';
import type { RoutePlugin } from '../../http/route-plugin.ts';
import type { ServerContext } from '../../server-context.ts';
import { requireOwned, visibleApplication } from '../shared/access.ts';
import { principalOf } from '../shared/request-principal.ts';
import { OPTIONAL_BODY, actionTargetOf } from '../shared/route-requests.ts';
import { zoneActionRoute, zoneCreateRoute, zoneListRoute, zoneReadRoute } from '../shared/zone-routes.ts';
import { listServiceAgents } from './service-agent-repository.ts';
import { serviceAgentView } from './service-agent-row.ts';
import { deregister, heartbeat, registerService, requireService } from './service-agent-service.ts';

/** `/zones/{zoneId}/services…`: register, heartbeat (lease), read, list, deregister. */
export const serviceAgentRoutes: RoutePlugin<{ context: ServerContext }> = async (app, { context }) => {
  zoneCreateRoute(app, {
    collection: 'services',
    body: RegisterServiceBody,
    created: RegisteredService,
    // 201 for a new registration, 200 when it replaced the live one of the same name.
    replaces: true,
    create: (request) => registerService(context, request),
  });

  zoneListRoute(app, context, {
    collection: 'services',
    query: ListServicesQuery,
    page: ServiceAgentPage,
    idPattern: idPatterns.serviceAgent,
    filters: (request) => ({
      zoneId: request.params.zoneId,
      applicationId: visibleApplication(principalOf(request), request.query.application_id),
      status: request.query.status,
      name: request.query.name,
    }),
    list: listServiceAgents,
    view: serviceAgentView,
  });

  zoneReadRoute(app, {
    collection: 'services',
    params: ServiceAgentParams,
    record: ServiceAgent,
    read: (request) => requireOwned(context, actionTargetOf(request), requireService, 'service agent'),
    view: serviceAgentView,
  });

  app.post(
    '/zones/:zoneId/services/:id/heartbeat',
    { ...OPTIONAL_BODY, schema: { params: ServiceAgentParams, body: HeartbeatBody, response: { 200: HeartbeatResult } } },
    (request) => heartbeat(context, { ...actionTargetOf(request), leaseSeconds: request.body.lease_seconds }),
  );

  zoneActionRoute(app, { collection: 'services', method: 'DELETE', params: ServiceAgentParams, answer: DeregisterResult, act: (target) => deregister(context, target) });
};

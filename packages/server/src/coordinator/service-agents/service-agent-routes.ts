import {
  DeregisterResult,
  EmptyBody,
  HeartbeatBody,
  HeartbeatResult,
  idPatterns,
  ListServicesQuery,
  RegisteredService,
  RegisterServiceBody,
  ServiceAgent,
  ServiceAgentPage,
  ServiceAgentParams,
  ZoneParams,
} from '@caracal/protocol';
import { idKeys, listedPage } from '../../http/pagination.ts';
import type { RoutePlugin } from '../../http/route-plugin.ts';
import type { ServerContext } from '../../server-context.ts';
import { requireOwned, visibleApplication } from '../shared/access.ts';
import { COORDINATOR_BODY_LIMIT, principalOf } from '../shared/request-principal.ts';
import { OPTIONAL_BODY, actionTargetOf, createRequestOf } from '../shared/route-requests.ts';
import { listServiceAgents } from './service-agent-repository.ts';
import { serviceAgentView } from './service-agent-row.ts';
import { deregister, heartbeat, registerService, requireService } from './service-agent-service.ts';

/** `/zones/{zoneId}/services…`: register, heartbeat (lease), read, list, deregister. */
export const serviceAgentRoutes: RoutePlugin<{ context: ServerContext }> = async (app, { context }) => {
  app.post(
    '/zones/:zoneId/services',
    {
      bodyLimit: COORDINATOR_BODY_LIMIT,
      // 201 for a new registration, 200 when it replaced the live one of the same name.
      schema: { params: ZoneParams, body: RegisterServiceBody, response: { 200: RegisteredService, 201: RegisteredService } },
    },
    async (request, reply) => {
      const result = await registerService(context, createRequestOf(request, 'POST /zones/{zoneId}/services'));
      return reply.status(result.statusCode === 201 ? 201 : 200).send(result.body);
    },
  );

  app.get(
    '/zones/:zoneId/services',
    { schema: { params: ZoneParams, querystring: ListServicesQuery, response: { 200: ServiceAgentPage } } },
    (request) => {
      const { query } = request;
      const filters = {
        zoneId: request.params.zoneId,
        applicationId: visibleApplication(principalOf(request), query.application_id),
        status: query.status,
        name: query.name,
      };
      return listedPage(query, idKeys(idPatterns.serviceAgent), (page) => listServiceAgents(context.database, filters, page), serviceAgentView);
    },
  );

  app.get(
    '/zones/:zoneId/services/:id',
    { schema: { params: ServiceAgentParams, response: { 200: ServiceAgent } } },
    async (request) => serviceAgentView(await requireOwned(context, actionTargetOf(request), requireService, 'service agent')),
  );

  app.post(
    '/zones/:zoneId/services/:id/heartbeat',
    { ...OPTIONAL_BODY, schema: { params: ServiceAgentParams, body: HeartbeatBody, response: { 200: HeartbeatResult } } },
    (request) => heartbeat(context, { ...actionTargetOf(request), leaseSeconds: request.body.lease_seconds }),
  );

  app.delete(
    '/zones/:zoneId/services/:id',
    { ...OPTIONAL_BODY, schema: { params: ServiceAgentParams, body: EmptyBody, response: { 200: DeregisterResult } } },
    (request) => deregister(context, actionTargetOf(request)),
  );
};

import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../../server-context.ts';
import { assertOwner, visibleApplication } from '../shared/access.ts';
import { emptyBodySchema, idPatterns, zoneAndIdParamsSchema, zoneParamsSchema } from '../shared/common-schemas.ts';
import { pageRequest, toPage } from '../shared/pagination.ts';
import { COORDINATOR_BODY_LIMIT, idempotencyKeyOf, principalOf } from '../shared/request-principal.ts';
import { treatMissingBodyAsEmpty } from '../shared/optional-body.ts';
import { listServiceAgents } from './service-agent-repository.ts';
import { serviceAgentView, type ServiceStatus } from './service-agent-row.ts';
import { heartbeatBodySchema, listServicesQuerySchema, registerServiceBodySchema } from './service-agent-schemas.ts';
import { deregister, heartbeat, registerService, requireService, type RegisterServiceRequest } from './service-agent-service.ts';

interface ZoneParams {
  zoneId: string;
}
interface ServiceParams extends ZoneParams {
  id: string;
}
interface ListQuery {
  status?: ServiceStatus;
  application_id?: string;
  name?: string;
  limit?: string;
  cursor?: string;
}

const serviceParams = zoneAndIdParamsSchema(idPatterns.svc);

/** `/zones/{zoneId}/services…`: register, heartbeat (lease), read, list, deregister. */
export async function serviceAgentRoutes(app: FastifyInstance, options: { context: ServerContext }): Promise<void> {
  const { context } = options;

  app.post<{ Params: ZoneParams; Body: RegisterServiceRequest }>(
    '/zones/:zoneId/services',
    { bodyLimit: COORDINATOR_BODY_LIMIT, schema: { params: zoneParamsSchema, body: registerServiceBodySchema } },
    async (request, reply) => {
      const result = await registerService(context, {
        principal: principalOf(request),
        zoneId: request.params.zoneId,
        body: request.body,
        idempotencyKey: idempotencyKeyOf(request),
        route: 'POST /zones/{zoneId}/services',
      });
      return reply.status(result.statusCode).send(result.body);
    },
  );

  app.get<{ Params: ZoneParams; Querystring: ListQuery }>(
    '/zones/:zoneId/services',
    { schema: { params: zoneParamsSchema, querystring: listServicesQuerySchema } },
    async (request) => {
      const page = pageRequest(request.query, idPatterns.svc);
      const applicationId = visibleApplication(principalOf(request), request.query.application_id);
      const { status, name } = request.query;
      const rows = await listServiceAgents(
        context.database,
        {
          zoneId: request.params.zoneId,
          ...(applicationId === undefined ? {} : { applicationId }),
          ...(status === undefined ? {} : { status }),
          ...(name === undefined ? {} : { name }),
        },
        page,
      );
      return toPage(rows, page.limit, serviceAgentView);
    },
  );

  app.get<{ Params: ServiceParams }>('/zones/:zoneId/services/:id', { schema: { params: serviceParams } }, async (request) => {
    const service = await requireService(context, request.params.zoneId, request.params.id);
    assertOwner(principalOf(request), service.application_id, `service agent ${service.id}`);
    return serviceAgentView(service);
  });

  app.post<{ Params: ServiceParams; Body: { lease_seconds?: number } }>(
    '/zones/:zoneId/services/:id/heartbeat',
    { bodyLimit: COORDINATOR_BODY_LIMIT, preValidation: treatMissingBodyAsEmpty, schema: { params: serviceParams, body: heartbeatBodySchema } },
    (request) =>
      heartbeat(context, {
        principal: principalOf(request),
        zoneId: request.params.zoneId,
        id: request.params.id,
        leaseSeconds: request.body.lease_seconds,
      }),
  );

  app.delete<{ Params: ServiceParams }>(
    '/zones/:zoneId/services/:id',
    { bodyLimit: COORDINATOR_BODY_LIMIT, preValidation: treatMissingBodyAsEmpty, schema: { params: serviceParams, body: emptyBodySchema } },
    (request) => deregister(context, { principal: principalOf(request), zoneId: request.params.zoneId, id: request.params.id }),
  );
}

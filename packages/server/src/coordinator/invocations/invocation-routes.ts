import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../../server-context.ts';
import { visibleApplication } from '../shared/access.ts';
import { emptyBodySchema, idPatterns, zoneAndIdParamsSchema, zoneParamsSchema } from '../shared/common-schemas.ts';
import { pageRequest, toPage } from '../shared/pagination.ts';
import { COORDINATOR_BODY_LIMIT, idempotencyKeyOf, principalOf } from '../shared/request-principal.ts';
import { treatMissingBodyAsEmpty } from '../shared/optional-body.ts';
import { assertOwner } from '../shared/access.ts';
import { listInvocations } from './invocation-repository.ts';
import { invocationView, type InvocationStatus } from './invocation-row.ts';
import {
  cancelInvocationBodySchema,
  completeInvocationBodySchema,
  createInvocationBodySchema,
  listInvocationsQuerySchema,
} from './invocation-schemas.ts';
import {
  createInvocation,
  invocationMoves,
  moveInvocation,
  requireInvocation,
  type CompleteInvocationRequest,
  type CreateInvocationRequest,
} from './invocation-service.ts';

interface ZoneParams {
  zoneId: string;
}
interface InvocationParams extends ZoneParams {
  id: string;
}
interface ListQuery {
  status?: InvocationStatus;
  agent_session_id?: string;
  service_id?: string;
  limit?: string;
  cursor?: string;
}

const invocationParams = zoneAndIdParamsSchema(idPatterns.inv);
const actionOptions = (body: object) => ({
  bodyLimit: COORDINATOR_BODY_LIMIT,
  preValidation: treatMissingBodyAsEmpty,
  schema: { params: invocationParams, body },
});

/** `/zones/{zoneId}/invocations…`: create, start, complete, cancel, read, list. */
export async function invocationRoutes(app: FastifyInstance, options: { context: ServerContext }): Promise<void> {
  const { context } = options;

  app.post<{ Params: ZoneParams; Body: CreateInvocationRequest }>(
    '/zones/:zoneId/invocations',
    { bodyLimit: COORDINATOR_BODY_LIMIT, schema: { params: zoneParamsSchema, body: createInvocationBodySchema } },
    async (request, reply) => {
      const result = await createInvocation(context, {
        principal: principalOf(request),
        zoneId: request.params.zoneId,
        body: request.body,
        idempotencyKey: idempotencyKeyOf(request),
        route: 'POST /zones/{zoneId}/invocations',
      });
      return reply.status(result.statusCode).send(result.body);
    },
  );

  app.get<{ Params: ZoneParams; Querystring: ListQuery }>(
    '/zones/:zoneId/invocations',
    { schema: { params: zoneParamsSchema, querystring: listInvocationsQuerySchema } },
    async (request) => {
      const page = pageRequest(request.query, idPatterns.inv);
      const applicationId = visibleApplication(principalOf(request), undefined);
      const { status, agent_session_id: agentSessionId, service_id: serviceId } = request.query;
      const rows = await listInvocations(
        context.database,
        {
          zoneId: request.params.zoneId,
          ...(applicationId === undefined ? {} : { applicationId }),
          ...(status === undefined ? {} : { status }),
          ...(agentSessionId === undefined ? {} : { agentSessionId }),
          ...(serviceId === undefined ? {} : { serviceId }),
        },
        page,
      );
      return toPage(rows, page.limit, invocationView);
    },
  );

  app.get<{ Params: InvocationParams }>('/zones/:zoneId/invocations/:id', { schema: { params: invocationParams } }, async (request) => {
    const invocation = await requireInvocation(context, request.params.zoneId, request.params.id);
    assertOwner(principalOf(request), invocation.application_id, `invocation ${invocation.id}`);
    return invocationView(invocation);
  });

  const move = (request: { params: InvocationParams } & Parameters<typeof principalOf>[0], chosen: Parameters<typeof moveInvocation>[1]['move']) =>
    moveInvocation(context, { principal: principalOf(request), zoneId: request.params.zoneId, id: request.params.id, move: chosen });

  app.post<{ Params: InvocationParams }>('/zones/:zoneId/invocations/:id/start', actionOptions(emptyBodySchema), (request) =>
    move(request, invocationMoves.start()),
  );
  app.post<{ Params: InvocationParams; Body: CompleteInvocationRequest }>(
    '/zones/:zoneId/invocations/:id/complete',
    actionOptions(completeInvocationBodySchema),
    (request) => move(request, invocationMoves.complete(request.body)),
  );
  app.post<{ Params: InvocationParams; Body: { reason?: string } }>(
    '/zones/:zoneId/invocations/:id/cancel',
    actionOptions(cancelInvocationBodySchema),
    (request) => move(request, invocationMoves.cancel(request.body.reason)),
  );
}

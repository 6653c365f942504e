import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../../server-context.ts';
import { emptyBodySchema, idPatterns, zoneAndIdParamsSchema, zoneParamsSchema } from '../shared/common-schemas.ts';
import { pageRequest, toPage } from '../shared/pagination.ts';
import { COORDINATOR_BODY_LIMIT, idempotencyKeyOf, principalOf } from '../shared/request-principal.ts';
import { treatMissingBodyAsEmpty } from '../shared/optional-body.ts';
import { createDelegationBodySchema, listDelegationsQuerySchema } from './delegation-schemas.ts';
import type { DelegationRequest } from './delegation-request.ts';
import { assertEdgeVisible, createDelegation, requireEdge, revokeDelegation } from './delegation-service.ts';
import { listEdges, traverseChain } from './edge-repository.ts';
import { edgeView, type EdgeStatus } from './edge-row.ts';

interface ZoneParams {
  zoneId: string;
}
interface EdgeParams extends ZoneParams {
  id: string;
}
interface ListQuery {
  source_session_id?: string;
  target_session_id?: string;
  status?: EdgeStatus;
  limit?: string;
  cursor?: string;
}

const edgeParams = zoneAndIdParamsSchema(idPatterns.deledge);

/** `/zones/{zoneId}/delegations…` (DESIGN §4): create, read, list, traverse, revoke. */
export async function delegationRoutes(app: FastifyInstance, options: { context: ServerContext }): Promise<void> {
  const { context } = options;

  app.post<{ Params: ZoneParams; Body: DelegationRequest }>(
    '/zones/:zoneId/delegations',
    { bodyLimit: COORDINATOR_BODY_LIMIT, schema: { params: zoneParamsSchema, body: createDelegationBodySchema } },
    async (request, reply) => {
      const result = await createDelegation(context, {
        principal: principalOf(request),
        zoneId: request.params.zoneId,
        body: request.body,
        idempotencyKey: idempotencyKeyOf(request),
        route: 'POST /zones/{zoneId}/delegations',
      });
      return reply.status(result.statusCode).send(result.body);
    },
  );

  app.get<{ Params: ZoneParams; Querystring: ListQuery }>(
    '/zones/:zoneId/delegations',
    { schema: { params: zoneParamsSchema, querystring: listDelegationsQuerySchema } },
    async (request) => {
      const principal = principalOf(request);
      const page = pageRequest(request.query, idPatterns.deledge);
      const { source_session_id: source, target_session_id: target, status } = request.query;
      const rows = await listEdges(
        context.database,
        {
          zoneId: request.params.zoneId,
          ...(source === undefined ? {} : { sourceSessionId: source }),
          ...(target === undefined ? {} : { targetSessionId: target }),
          ...(status === undefined ? {} : { status }),
          ...(principal.admin ? {} : { applicationId: principal.clientId }),
        },
        page,
      );
      return toPage(rows, page.limit, edgeView);
    },
  );

  app.get<{ Params: EdgeParams }>('/zones/:zoneId/delegations/:id', { schema: { params: edgeParams } }, async (request) => {
    const edge = await requireEdge(context, request.params.zoneId, request.params.id);
    assertEdgeVisible(principalOf(request), edge);
    return edgeView(edge);
  });

  app.get<{ Params: EdgeParams }>('/zones/:zoneId/delegations/:id/traverse', { schema: { params: edgeParams } }, async (request) => {
    const edge = await requireEdge(context, request.params.zoneId, request.params.id);
    assertEdgeVisible(principalOf(request), edge);
    return { items: await traverseChain(context.database, edge.id) };
  });

  app.post<{ Params: EdgeParams }>(
    '/zones/:zoneId/delegations/:id/revoke',
    { bodyLimit: COORDINATOR_BODY_LIMIT, preValidation: treatMissingBodyAsEmpty, schema: { params: edgeParams, body: emptyBodySchema } },
    async (request) => {
      const counts = await revokeDelegation(context, {
        principal: principalOf(request),
        zoneId: request.params.zoneId,
        edgeId: request.params.id,
      });
      return { revoked_edges: counts.revokedEdges, affected_sessions: counts.affectedSessions };
    },
  );
}

import {
  CreateDelegationBody,
  CreatedDelegation,
  DelegationChain,
  DelegationEdge,
  DelegationEdgePage,
  DelegationEdgeParams,
  EmptyBody,
  idPatterns,
  ListDelegationsQuery,
  RevokeDelegationResult,
  ZoneParams,
} from '@caracal/protocol';
import { treatMissingBodyAsEmpty } from '../../http/optional-body.ts';
import { byId, pageRequest, toPage } from '../../http/pagination.ts';
import type { RoutePlugin } from '../../http/route-plugin.ts';
import type { ServerContext } from '../../server-context.ts';
import { COORDINATOR_BODY_LIMIT, idempotencyKeyOf, principalOf } from '../shared/request-principal.ts';
import { assertEdgeVisible, createDelegation, requireEdge, revokeDelegation } from './delegation-service.ts';
import { listEdges, traverseChain } from './edge-repository.ts';
import { edgeView } from './edge-row.ts';

/** `/zones/{zoneId}/delegations…`: create, read, list, traverse, revoke. */
export const delegationRoutes: RoutePlugin<{ context: ServerContext }> = async (app, { context }) => {
  app.post(
    '/zones/:zoneId/delegations',
    {
      bodyLimit: COORDINATOR_BODY_LIMIT,
      schema: { params: ZoneParams, body: CreateDelegationBody, response: { 201: CreatedDelegation } },
    },
    async (request, reply) => {
      const result = await createDelegation(context, {
        principal: principalOf(request),
        zoneId: request.params.zoneId,
        body: request.body,
        idempotencyKey: idempotencyKeyOf(request),
        route: 'POST /zones/{zoneId}/delegations',
      });
      return reply.status(201).send(result.body);
    },
  );

  app.get(
    '/zones/:zoneId/delegations',
    { schema: { params: ZoneParams, querystring: ListDelegationsQuery, response: { 200: DelegationEdgePage } } },
    async (request) => {
      const principal = principalOf(request);
      const page = pageRequest(request.query, idPatterns.delegationEdge);
      const rows = await listEdges(
        context.database,
        {
          zoneId: request.params.zoneId,
          sourceSessionId: request.query.source_session_id,
          targetSessionId: request.query.target_session_id,
          status: request.query.status,
          applicationId: principal.admin ? undefined : principal.clientId,
        },
        page,
      );
      return toPage(rows, page.limit, edgeView, byId);
    },
  );

  app.get(
    '/zones/:zoneId/delegations/:id',
    { schema: { params: DelegationEdgeParams, response: { 200: DelegationEdge } } },
    async (request) => {
      const edge = await requireEdge(context, request.params.zoneId, request.params.id);
      assertEdgeVisible(principalOf(request), edge);
      return edgeView(edge);
    },
  );

  app.get(
    '/zones/:zoneId/delegations/:id/traverse',
    { schema: { params: DelegationEdgeParams, response: { 200: DelegationChain } } },
    async (request) => {
      const edge = await requireEdge(context, request.params.zoneId, request.params.id);
      assertEdgeVisible(principalOf(request), edge);
      return { items: await traverseChain(context.database, edge.id) };
    },
  );

  app.post(
    '/zones/:zoneId/delegations/:id/revoke',
    {
      bodyLimit: COORDINATOR_BODY_LIMIT,
      preValidation: treatMissingBodyAsEmpty,
      schema: { params: DelegationEdgeParams, body: EmptyBody, response: { 200: RevokeDelegationResult } },
    },
    async (request) => {
      const counts = await revokeDelegation(context, {
        principal: principalOf(request),
        zoneId: request.params.zoneId,
        edgeId: request.params.id,
      });
      return { revoked_edges: counts.revokedEdges, affected_sessions: counts.affectedSessions };
    },
  );
};

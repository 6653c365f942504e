import {
  CreateDelegationBody,
  CreatedDelegation,
  DelegationChain,
  DelegationEdge,
  DelegationEdgePage,
  DelegationEdgeParams,
  DryRunQuery,
  EmptyBody,
  idPatterns,
  ListDelegationsQuery,
  RevokeDelegationResult,
  RevokeImpact,
} from '@caracal/protocol';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { RoutePlugin } from '../../http/route-plugin.ts';
import type { ServerContext } from '../../server-context.ts';
import { isDryRun, revokeImpact } from '../sessions/impact-answers.ts';
import { principalOf } from '../shared/request-principal.ts';
import { OPTIONAL_BODY, actionTargetOf } from '../shared/route-requests.ts';
import { zoneCreateRoute, zoneListRoute } from '../shared/zone-routes.ts';
import { assertEdgeVisible, createDelegation, requireEdge, revokeDelegation } from './delegation-service.ts';
import { listEdges, traverseChain } from './edge-repository.ts';
import { edgeView } from './edge-row.ts';

/** `/zones/{zoneId}/delegations…`: create, read, list, traverse, revoke. */
export const delegationRoutes: RoutePlugin<{ context: ServerContext }> = async (app, { context }) => {
  zoneCreateRoute(app, {
    collection: 'delegations',
    body: CreateDelegationBody,
    created: CreatedDelegation,
    create: (request) => createDelegation(context, request),
  });

  zoneListRoute(app, context, {
    collection: 'delegations',
    query: ListDelegationsQuery,
    page: DelegationEdgePage,
    idPattern: idPatterns.delegationEdge,
    filters: (request) => {
      const principal = principalOf(request);
      const { query } = request;
      return {
        zoneId: request.params.zoneId,
        sourceSessionId: query.source_session_id,
        targetSessionId: query.target_session_id,
        status: query.status,
        applicationId: principal.admin ? undefined : principal.clientId,
      };
    },
    list: listEdges,
    view: edgeView,
  });

  const visible = async (request: FastifyRequest & { params: DelegationEdgeParams }) => {
    const edge = await requireEdge(context, request.params.zoneId, request.params.id);
    assertEdgeVisible(principalOf(request), edge);
    return edge;
  };

  app.get(
    '/zones/:zoneId/delegations/:id',
    { schema: { params: DelegationEdgeParams, response: { 200: DelegationEdge } } },
    async (request) => edgeView(await visible(request)),
  );

  app.get(
    '/zones/:zoneId/delegations/:id/traverse',
    { schema: { params: DelegationEdgeParams, response: { 200: DelegationChain } } },
    async (request) => ({ items: await traverseChain(context.database, (await visible(request)).id) }),
  );

  app.post(
    '/zones/:zoneId/delegations/:id/revoke',
    {
      ...OPTIONAL_BODY,
      schema: {
        params: DelegationEdgeParams,
        querystring: DryRunQuery,
        body: EmptyBody,
        response: { 200: Type.Union([RevokeImpact, RevokeDelegationResult]) },
      },
    },
    async (request) => {
      const dryRun = isDryRun(request.query);
      const counts = await revokeDelegation(context, { ...actionTargetOf(request), dryRun });
      return dryRun ? revokeImpact(counts) : { revoked_edges: counts.revokedEdges, affected_sessions: counts.affectedSessions };
    },
  );
};

import {
  CreateDelegationBody,
  CreatedDelegation,
  DelegationChain,
  DelegationEdge,
  DelegationEdgePage,
  DelegationEdgeParams,
  idPatterns,
  ListDelegationsQuery,
  RevokeDelegationResult,
  RevokeImpact,
} from '@caracal/protocol';
import type { FastifyRequest } from 'fastify';
import type { RoutePlugin } from '../../http/route-plugin.ts';
import type { ServerContext } from '../../server-context.ts';
import { revokeImpact } from '../sessions/impact-answers.ts';
import { principalOf } from '../shared/request-principal.ts';
import { zoneCreateRoute, zoneDryRunActionRoute, zoneListRoute, zoneReadRoute } from '../shared/zone-routes.ts';
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

  zoneReadRoute(app, { collection: 'delegations', params: DelegationEdgeParams, record: DelegationEdge, read: visible, view: edgeView });

  app.get(
    '/zones/:zoneId/delegations/:id/traverse',
    { schema: { params: DelegationEdgeParams, response: { 200: DelegationChain } } },
    async (request) => ({ items: await traverseChain(context.database, (await visible(request)).id) }),
  );

  zoneDryRunActionRoute(app, {
    collection: 'delegations',
    action: 'revoke',
    params: DelegationEdgeParams,
    answer: RevokeDelegationResult,
    impact: RevokeImpact,
    act: (target) => revokeDelegation(context, target),
    answerOf: (counts) => ({ revoked_edges: counts.revokedEdges, affected_sessions: counts.affectedSessions }),
    impactOf: revokeImpact,
  });
};

import {
  AgentSession,
  AgentSessionPage,
  AgentSessionParams,
  idPatterns,
  ListChildrenQuery,
  ListSessionsQuery,
  ResumeImpact,
  ResumeResult,
  SpawnedSession,
  SpawnSessionBody,
  SuspendImpact,
  SuspendResult,
  TerminateImpact,
  TerminateResult,
} from '@caracal/protocol';
import type { FastifyRequest } from 'fastify';
import { idKeys, listedPage } from '../../http/pagination.ts';
import type { RoutePlugin } from '../../http/route-plugin.ts';
import type { ServerContext } from '../../server-context.ts';
import { requireOwned, visibleApplication } from '../shared/access.ts';
import { principalOf } from '../shared/request-principal.ts';
import { actionTargetOf } from '../shared/route-requests.ts';
import { zoneCreateRoute, zoneDryRunActionRoute, zoneListRoute, zoneReadRoute } from '../shared/zone-routes.ts';
import { resumeSession, suspendSession, terminateSession } from './session-lifecycle-service.ts';
import { resumeImpact, suspendImpact, terminateImpact } from './impact-answers.ts';
import { listSessions } from './session-repository.ts';
import { sessionView } from './session-row.ts';
import { requireSession, spawnSession } from './session-service.ts';

/** `/zones/{zoneId}/agents…`: spawn, read, list, suspend, resume, terminate. */
export const sessionRoutes: RoutePlugin<{ context: ServerContext }> = async (app, { context }) => {
  zoneCreateRoute(app, {
    collection: 'agents',
    body: SpawnSessionBody,
    created: SpawnedSession,
    // Every field of a spawn is optional, so a bare POST spawns with the defaults.
    optionalBody: true,
    create: (request) => spawnSession(context, request),
  });

  zoneListRoute(app, context, {
    collection: 'agents',
    query: ListSessionsQuery,
    page: AgentSessionPage,
    idPattern: idPatterns.agentSession,
    filters: (request) => ({
      zoneId: request.params.zoneId,
      status: request.query.status,
      applicationId: visibleApplication(principalOf(request), request.query.application_id),
      parentId: request.query.parent_id,
    }),
    list: listSessions,
    view: sessionView,
  });

  const readable = (request: FastifyRequest & { params: AgentSessionParams }) =>
    requireOwned(context, actionTargetOf(request), requireSession, 'agent session');

  zoneReadRoute(app, { collection: 'agents', params: AgentSessionParams, record: AgentSession, read: readable, view: sessionView });

  app.get(
    '/zones/:zoneId/agents/:id/children',
    { schema: { params: AgentSessionParams, querystring: ListChildrenQuery, response: { 200: AgentSessionPage } } },
    async (request) => {
      const session = await readable(request);
      const filters = { zoneId: request.params.zoneId, parentId: session.id, status: request.query.status };
      return listedPage(request.query, idKeys(idPatterns.agentSession), (page) => listSessions(context.database, filters, page), sessionView);
    },
  );

  const agentAction = { collection: 'agents', params: AgentSessionParams } as const;
  zoneDryRunActionRoute(app, {
    ...agentAction,
    action: 'suspend',
    answer: SuspendResult,
    impact: SuspendImpact,
    act: (target) => suspendSession(context, target),
    answerOf: (counts) => ({ suspended: counts.changed }),
    impactOf: suspendImpact,
  });
  zoneDryRunActionRoute(app, {
    ...agentAction,
    action: 'resume',
    answer: ResumeResult,
    impact: ResumeImpact,
    act: (target) => resumeSession(context, target),
    answerOf: (counts) => ({ resumed: counts.changed }),
    impactOf: resumeImpact,
  });
  zoneDryRunActionRoute(app, {
    ...agentAction,
    method: 'DELETE',
    answer: TerminateResult,
    impact: TerminateImpact,
    act: (target) => terminateSession(context, target),
    answerOf: (counts) => ({ terminated_sessions: counts.terminatedSessions, revoked_edges: counts.revokedEdges }),
    impactOf: terminateImpact,
  });
};

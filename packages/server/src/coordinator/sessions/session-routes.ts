import {
  AgentSession,
  AgentSessionPage,
  AgentSessionParams,
  DryRunQuery,
  EmptyBody,
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
import { Type } from 'typebox';
import { idKeys, listedPage } from '../../http/pagination.ts';
import type { RoutePlugin } from '../../http/route-plugin.ts';
import type { ServerContext } from '../../server-context.ts';
import { requireOwned, visibleApplication } from '../shared/access.ts';
import { principalOf } from '../shared/request-principal.ts';
import { OPTIONAL_BODY, actionTargetOf } from '../shared/route-requests.ts';
import { zoneCreateRoute, zoneListRoute } from '../shared/zone-routes.ts';
import { resumeSession, suspendSession, terminateSession } from './session-lifecycle-service.ts';
import { isDryRun, resumeImpact, suspendImpact, terminateImpact } from './impact-answers.ts';
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

  app.get(
    '/zones/:zoneId/agents/:id',
    { schema: { params: AgentSessionParams, response: { 200: AgentSession } } },
    async (request) => sessionView(await readable(request)),
  );

  app.get(
    '/zones/:zoneId/agents/:id/children',
    { schema: { params: AgentSessionParams, querystring: ListChildrenQuery, response: { 200: AgentSessionPage } } },
    async (request) => {
      const session = await readable(request);
      const filters = { zoneId: request.params.zoneId, parentId: session.id, status: request.query.status };
      return listedPage(request.query, idKeys(idPatterns.agentSession), (page) => listSessions(context.database, filters, page), sessionView);
    },
  );

  const target = (request: FastifyRequest & { params: AgentSessionParams; query: DryRunQuery }) => ({
    ...actionTargetOf(request),
    dryRun: isDryRun(request.query),
  });

  app.post(
    '/zones/:zoneId/agents/:id/suspend',
    {
      ...OPTIONAL_BODY,
      schema: { params: AgentSessionParams, querystring: DryRunQuery, body: EmptyBody, response: { 200: Type.Union([SuspendImpact, SuspendResult]) } },
    },
    async (request) => {
      const counts = await suspendSession(context, target(request));
      return isDryRun(request.query) ? suspendImpact(counts) : { suspended: counts.changed };
    },
  );

  app.post(
    '/zones/:zoneId/agents/:id/resume',
    {
      ...OPTIONAL_BODY,
      schema: { params: AgentSessionParams, querystring: DryRunQuery, body: EmptyBody, response: { 200: Type.Union([ResumeImpact, ResumeResult]) } },
    },
    async (request) => {
      const counts = await resumeSession(context, target(request));
      return isDryRun(request.query) ? resumeImpact(counts) : { resumed: counts.changed };
    },
  );

  app.delete(
    '/zones/:zoneId/agents/:id',
    {
      ...OPTIONAL_BODY,
      schema: { params: AgentSessionParams, querystring: DryRunQuery, body: EmptyBody, response: { 200: Type.Union([TerminateImpact, TerminateResult]) } },
    },
    async (request) => {
      const counts = await terminateSession(context, target(request));
      if (isDryRun(request.query)) return terminateImpact(counts);
      return { terminated_sessions: counts.terminatedSessions, revoked_edges: counts.revokedEdges };
    },
  );
};

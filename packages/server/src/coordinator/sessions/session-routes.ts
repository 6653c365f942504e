import {
  AgentSession,
  AgentSessionPage,
  AgentSessionParams,
  EmptyBody,
  idPatterns,
  ListChildrenQuery,
  ListSessionsQuery,
  ResumeResult,
  SpawnedSession,
  SpawnSessionBody,
  SuspendResult,
  TerminateResult,
  ZoneParams,
} from '@caracal/protocol';
import type { FastifyRequest } from 'fastify';
import { idKeys, listedPage } from '../../http/pagination.ts';
import type { RoutePlugin } from '../../http/route-plugin.ts';
import type { ServerContext } from '../../server-context.ts';
import { requireOwned, visibleApplication } from '../shared/access.ts';
import { principalOf } from '../shared/request-principal.ts';
import { OPTIONAL_BODY, actionTargetOf, createRequestOf } from '../shared/route-requests.ts';
import { resumeSession, suspendSession, terminateSession } from './session-lifecycle-service.ts';
import { listSessions } from './session-repository.ts';
import { sessionView } from './session-row.ts';
import { requireSession, spawnSession } from './session-service.ts';

/** `/zones/{zoneId}/agents…`: spawn, read, list, suspend, resume, terminate. */
export const sessionRoutes: RoutePlugin<{ context: ServerContext }> = async (app, { context }) => {
  app.post(
    '/zones/:zoneId/agents',
    // Every field of a spawn is optional, so a bare POST spawns with the defaults.
    { ...OPTIONAL_BODY, schema: { params: ZoneParams, body: SpawnSessionBody, response: { 201: SpawnedSession } } },
    async (request, reply) => {
      const result = await spawnSession(context, createRequestOf(request, 'POST /zones/{zoneId}/agents'));
      return reply.status(201).send(result.body);
    },
  );

  app.get(
    '/zones/:zoneId/agents',
    { schema: { params: ZoneParams, querystring: ListSessionsQuery, response: { 200: AgentSessionPage } } },
    (request) => {
      const { query } = request;
      const filters = {
        zoneId: request.params.zoneId,
        status: query.status,
        applicationId: visibleApplication(principalOf(request), query.application_id),
        parentId: query.parent_id,
      };
      return listedPage(query, idKeys(idPatterns.agentSession), (page) => listSessions(context.database, filters, page), sessionView);
    },
  );

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

  app.post(
    '/zones/:zoneId/agents/:id/suspend',
    { ...OPTIONAL_BODY, schema: { params: AgentSessionParams, body: EmptyBody, response: { 200: SuspendResult } } },
    async (request) => ({ suspended: await suspendSession(context, actionTargetOf(request)) }),
  );

  app.post(
    '/zones/:zoneId/agents/:id/resume',
    { ...OPTIONAL_BODY, schema: { params: AgentSessionParams, body: EmptyBody, response: { 200: ResumeResult } } },
    async (request) => ({ resumed: await resumeSession(context, actionTargetOf(request)) }),
  );

  app.delete(
    '/zones/:zoneId/agents/:id',
    { ...OPTIONAL_BODY, schema: { params: AgentSessionParams, body: EmptyBody, response: { 200: TerminateResult } } },
    async (request) => {
      const counts = await terminateSession(context, actionTargetOf(request));
      return { terminated_sessions: counts.terminatedSessions, revoked_edges: counts.revokedEdges };
    },
  );
};

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
import { treatMissingBodyAsEmpty } from '../../http/optional-body.ts';
import { byId, pageRequest, toPage } from '../../http/pagination.ts';
import type { RoutePlugin } from '../../http/route-plugin.ts';
import type { ServerContext } from '../../server-context.ts';
import { assertOwner, visibleApplication } from '../shared/access.ts';
import { COORDINATOR_BODY_LIMIT, idempotencyKeyOf, principalOf } from '../shared/request-principal.ts';
import { resumeSession, suspendSession, terminateSession } from './session-lifecycle-service.ts';
import { listSessions } from './session-repository.ts';
import { sessionView } from './session-row.ts';
import { requireSession, spawnSession } from './session-service.ts';

/** `/zones/{zoneId}/agents…`: spawn, read, list, suspend, resume, terminate. */
export const sessionRoutes: RoutePlugin<{ context: ServerContext }> = async (app, { context }) => {
  app.post(
    '/zones/:zoneId/agents',
    {
      bodyLimit: COORDINATOR_BODY_LIMIT,
      // Every field of a spawn is optional, so a bare POST spawns with the defaults.
      preValidation: treatMissingBodyAsEmpty,
      schema: { params: ZoneParams, body: SpawnSessionBody, response: { 201: SpawnedSession } },
    },
    async (request, reply) => {
      const result = await spawnSession(context, {
        principal: principalOf(request),
        zoneId: request.params.zoneId,
        body: request.body,
        idempotencyKey: idempotencyKeyOf(request),
        route: 'POST /zones/{zoneId}/agents',
      });
      return reply.status(201).send(result.body);
    },
  );

  app.get(
    '/zones/:zoneId/agents',
    { schema: { params: ZoneParams, querystring: ListSessionsQuery, response: { 200: AgentSessionPage } } },
    async (request) => {
      const page = pageRequest(request.query, idPatterns.agentSession);
      const rows = await listSessions(
        context.database,
        {
          zoneId: request.params.zoneId,
          status: request.query.status,
          applicationId: visibleApplication(principalOf(request), request.query.application_id),
          parentId: request.query.parent_id,
        },
        page,
      );
      return toPage(rows, page.limit, sessionView, byId);
    },
  );

  app.get(
    '/zones/:zoneId/agents/:id',
    { schema: { params: AgentSessionParams, response: { 200: AgentSession } } },
    async (request) => {
      const session = await requireSession(context, request.params.zoneId, request.params.id);
      assertOwner(principalOf(request), session.application_id, `agent session ${session.id}`);
      return sessionView(session);
    },
  );

  app.get(
    '/zones/:zoneId/agents/:id/children',
    { schema: { params: AgentSessionParams, querystring: ListChildrenQuery, response: { 200: AgentSessionPage } } },
    async (request) => {
      const principal = principalOf(request);
      const session = await requireSession(context, request.params.zoneId, request.params.id);
      assertOwner(principal, session.application_id, `agent session ${session.id}`);
      const page = pageRequest(request.query, idPatterns.agentSession);
      const rows = await listSessions(
        context.database,
        { zoneId: request.params.zoneId, parentId: session.id, status: request.query.status },
        page,
      );
      return toPage(rows, page.limit, sessionView, byId);
    },
  );

  const action = { bodyLimit: COORDINATOR_BODY_LIMIT, preValidation: treatMissingBodyAsEmpty };
  const target = (request: FastifyRequest & { params: AgentSessionParams }) => ({
    principal: principalOf(request),
    zoneId: request.params.zoneId,
    sessionId: request.params.id,
  });

  app.post(
    '/zones/:zoneId/agents/:id/suspend',
    { ...action, schema: { params: AgentSessionParams, body: EmptyBody, response: { 200: SuspendResult } } },
    async (request) => ({ suspended: await suspendSession(context, target(request)) }),
  );

  app.post(
    '/zones/:zoneId/agents/:id/resume',
    { ...action, schema: { params: AgentSessionParams, body: EmptyBody, response: { 200: ResumeResult } } },
    async (request) => ({ resumed: await resumeSession(context, target(request)) }),
  );

  app.delete(
    '/zones/:zoneId/agents/:id',
    { ...action, schema: { params: AgentSessionParams, body: EmptyBody, response: { 200: TerminateResult } } },
    async (request) => {
      const counts = await terminateSession(context, target(request));
      return { terminated_sessions: counts.terminatedSessions, revoked_edges: counts.revokedEdges };
    },
  );
};

import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../../server-context.ts';
import { assertOwner, visibleApplication } from '../shared/access.ts';
import { emptyBodySchema, idPatterns, zoneAndIdParamsSchema, zoneParamsSchema } from '../shared/common-schemas.ts';
import { pageRequest, toPage } from '../shared/pagination.ts';
import { COORDINATOR_BODY_LIMIT, idempotencyKeyOf, principalOf } from '../shared/request-principal.ts';
import { treatMissingBodyAsEmpty } from '../shared/optional-body.ts';
import { resumeSession, suspendSession, terminateSession } from './session-lifecycle-service.ts';
import { listSessions } from './session-repository.ts';
import { sessionView, type SessionStatus } from './session-row.ts';
import { childrenQuerySchema, listSessionsQuerySchema, spawnBodySchema } from './session-schemas.ts';
import { requireSession, spawnSession, type SpawnRequest } from './session-service.ts';

interface ZoneParams {
  zoneId: string;
}
interface SessionParams extends ZoneParams {
  id: string;
}
interface ListQuery {
  status?: SessionStatus;
  application_id?: string;
  parent_id?: string;
  limit?: string;
  cursor?: string;
}

const sessionParams = zoneAndIdParamsSchema(idPatterns.agentsess);

/** `/zones/{zoneId}/agents…` (DESIGN §4): spawn, read, list, suspend, resume, terminate. */
export async function sessionRoutes(app: FastifyInstance, options: { context: ServerContext }): Promise<void> {
  const { context } = options;

  app.post<{ Params: ZoneParams; Body: SpawnRequest }>(
    '/zones/:zoneId/agents',
    // Every field of a spawn is optional, so a bare POST spawns with the defaults.
    { bodyLimit: COORDINATOR_BODY_LIMIT, preValidation: treatMissingBodyAsEmpty, schema: { params: zoneParamsSchema, body: spawnBodySchema } },
    async (request, reply) => {
      const result = await spawnSession(context, {
        principal: principalOf(request),
        zoneId: request.params.zoneId,
        body: request.body,
        idempotencyKey: idempotencyKeyOf(request),
        route: 'POST /zones/{zoneId}/agents',
      });
      return reply.status(result.statusCode).send(result.body);
    },
  );

  app.get<{ Params: ZoneParams; Querystring: ListQuery }>(
    '/zones/:zoneId/agents',
    { schema: { params: zoneParamsSchema, querystring: listSessionsQuerySchema } },
    async (request) => {
      const page = pageRequest(request.query, idPatterns.agentsess);
      const applicationId = visibleApplication(principalOf(request), request.query.application_id);
      const rows = await listSessions(
        context.database,
        {
          zoneId: request.params.zoneId,
          ...(request.query.status === undefined ? {} : { status: request.query.status }),
          ...(applicationId === undefined ? {} : { applicationId }),
          ...(request.query.parent_id === undefined ? {} : { parentId: request.query.parent_id }),
        },
        page,
      );
      return toPage(rows, page.limit, sessionView);
    },
  );

  app.get<{ Params: SessionParams }>('/zones/:zoneId/agents/:id', { schema: { params: sessionParams } }, async (request) => {
    const session = await requireSession(context, request.params.zoneId, request.params.id);
    assertOwner(principalOf(request), session.application_id, `agent session ${session.id}`);
    return sessionView(session);
  });

  app.get<{ Params: SessionParams; Querystring: Omit<ListQuery, 'application_id' | 'parent_id'> }>(
    '/zones/:zoneId/agents/:id/children',
    { schema: { params: sessionParams, querystring: childrenQuerySchema } },
    async (request) => {
      const principal = principalOf(request);
      const session = await requireSession(context, request.params.zoneId, request.params.id);
      assertOwner(principal, session.application_id, `agent session ${session.id}`);
      const page = pageRequest(request.query, idPatterns.agentsess);
      const rows = await listSessions(
        context.database,
        {
          zoneId: request.params.zoneId,
          parentId: session.id,
          ...(request.query.status === undefined ? {} : { status: request.query.status }),
        },
        page,
      );
      return toPage(rows, page.limit, sessionView);
    },
  );

  const action = {
    bodyLimit: COORDINATOR_BODY_LIMIT,
    preValidation: treatMissingBodyAsEmpty,
    schema: { params: sessionParams, body: emptyBodySchema },
  };
  const target = (request: { params: SessionParams } & Parameters<typeof principalOf>[0]) => ({
    principal: principalOf(request),
    zoneId: request.params.zoneId,
    sessionId: request.params.id,
  });

  app.post<{ Params: SessionParams }>('/zones/:zoneId/agents/:id/suspend', action, async (request) => ({
    suspended: await suspendSession(context, target(request)),
  }));

  app.post<{ Params: SessionParams }>('/zones/:zoneId/agents/:id/resume', action, async (request) => ({
    resumed: await resumeSession(context, target(request)),
  }));

  app.delete<{ Params: SessionParams }>('/zones/:zoneId/agents/:id', action, async (request) => {
    const counts = await terminateSession(context, target(request));
    return { terminated_sessions: counts.terminatedSessions, revoked_edges: counts.revokedEdges };
  });
}

import {
  BeginBody,
  BeginFields,
  CreatedDelegation,
  EndBody,
  EndFields,
  ExchangeBody,
  ExchangeFields,
  SpawnedSession,
  TerminateResult,
  withoutSeedNulls,
} from '@caracal/protocol';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../../auth/principal.ts';
import type { RoutePlugin } from '../../http/route-plugin.ts';
import { forbidden } from '../../http/server-error.ts';
import type { ServerContext } from '../../server-context.ts';
import { createDelegation } from '../delegations/delegation-service.ts';
import { terminateSession } from '../sessions/session-lifecycle-service.ts';
import { spawnSession } from '../sessions/session-service.ts';
import type { CreateRequest } from '../shared/idempotent-create.ts';
import { COORDINATOR_BODY_LIMIT, idempotencyKeyOf, principalOf } from '../shared/request-principal.ts';

/** The zone a `/v1` route acts in: the one it names, which must be the mandate's (default: the mandate's). */
function zoneOf(request: FastifyRequest, named: string | undefined): { principal: Principal; zoneId: string } {
  const principal = principalOf(request);
  if (named !== undefined && named !== principal.zoneId) {
    throw forbidden(`the mandate belongs to zone ${principal.zoneId}, not ${named}`);
  }
  return { principal, zoneId: principal.zoneId };
}

/**
 * A seed create as its service takes it: nulls read as absent (seed-body.ts in protocol), the
 * body's `zone_id` names the zone, the rest is the create's body.
 */
function seedCreateRequest<Body extends { zone_id?: string | undefined }>(
  request: FastifyRequest,
  body: Body,
  route: string,
): CreateRequest<Omit<Body, 'zone_id'>> {
  const { zone_id: named, ...fields } = body;
  return { ...zoneOf(request, named), body: fields, idempotencyKey: idempotencyKeyOf(request), route };
}

/**
 * The seed names for the same operations: `/v1/begin` opens a session, `/v1/end` terminates one
 * with its subtree, `/v1/exchange` records a delegation edge. (`/v1/verify` is the STS's.)
 */
export const seedRoutes: RoutePlugin<{ context: ServerContext }> = async (app, { context }) => {
  app.post(
    '/v1/begin',
    { bodyLimit: COORDINATOR_BODY_LIMIT, schema: { body: BeginBody, response: { 201: SpawnedSession } } },
    async (request, reply) => {
      const body = withoutSeedNulls(BeginFields, request.body);
      const result = await spawnSession(context, seedCreateRequest(request, body, 'POST /v1/begin'));
      return reply.status(201).send(result.body);
    },
  );

  app.post(
    '/v1/end',
    { bodyLimit: COORDINATOR_BODY_LIMIT, schema: { body: EndBody, response: { 200: TerminateResult } } },
    async (request) => {
      const body = withoutSeedNulls(EndFields, request.body);
      const counts = await terminateSession(context, { ...zoneOf(request, body.zone_id), id: body.agent_session_id });
      return { terminated_sessions: counts.terminatedSessions, revoked_edges: counts.revokedEdges };
    },
  );

  app.post(
    '/v1/exchange',
    { bodyLimit: COORDINATOR_BODY_LIMIT, schema: { body: ExchangeBody, response: { 201: CreatedDelegation } } },
    async (request, reply) => {
      const body = withoutSeedNulls(ExchangeFields, request.body);
      const result = await createDelegation(context, seedCreateRequest(request, body, 'POST /v1/exchange'));
      return reply.status(201).send(result.body);
    },
  );
};

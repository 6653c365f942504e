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
  type SeedShape,
} from '@caracal/protocol';
import type { FastifyRequest, FastifySchema } from 'fastify';
import type { Static, TSchema } from 'typebox';
import type { Principal } from '../../auth/principal.ts';
import type { RoutePlugin } from '../../http/route-plugin.ts';
import { forbidden } from '../../http/server-error.ts';
import type { ServerContext } from '../../server-context.ts';
import { createDelegation } from '../delegations/delegation-service.ts';
import { terminateSession } from '../sessions/session-lifecycle-service.ts';
import { spawnSession } from '../sessions/session-service.ts';
import type { CreateResult } from '../shared/idempotency.ts';
import type { CreateRequest } from '../shared/idempotent-create.ts';
import { COORDINATOR_BODY_LIMIT, idempotencyKeyOf, principalOf } from '../shared/request-principal.ts';
import type { ZoneRouteApp } from '../shared/zone-routes.ts';

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

interface SeedCreateRoute<Fields extends TSchema> {
  path: '/v1/begin' | '/v1/exchange';
  /** The body as the route checks it (nulls allowed) and as the create reads it (nulls dropped). */
  body: TSchema;
  fields: Fields;
  created: TSchema;
  create: (request: CreateRequest<Omit<Static<Fields>, 'zone_id'>>) => Promise<CreateResult<object>>;
}

/** A `/v1` create: the Coordinator's create behind the seed's body, answering 201 with what it made. */
function seedCreateRoute<Fields extends TSchema>(app: ZoneRouteApp, route: SeedCreateRoute<Fields>): void {
  const schema: FastifySchema = { body: route.body, response: { 201: route.created } };
  app.post(route.path, { bodyLimit: COORDINATOR_BODY_LIMIT, schema }, async (request, reply) => {
    const body = withoutSeedNulls(route.fields, request.body as SeedShape<Static<Fields>>) as Static<Fields> & { zone_id?: string | undefined };
    const result = await route.create(seedCreateRequest(request, body, `POST ${route.path}`));
    return reply.status(201).send(result.body);
  });
}

/**
 * The seed names for the same operations: `/v1/begin` opens a session, `/v1/end` terminates one
 * with its subtree, `/v1/exchange` records a delegation edge. (`/v1/verify` is the STS's.)
 */
export const seedRoutes: RoutePlugin<{ context: ServerContext }> = async (app, { context }) => {
  seedCreateRoute(app, {
    path: '/v1/begin',
    body: BeginBody,
    fields: BeginFields,
    created: SpawnedSession,
    create: (request) => spawnSession(context, request),
  });

  app.post(
    '/v1/end',
    { bodyLimit: COORDINATOR_BODY_LIMIT, schema: { body: EndBody, response: { 200: TerminateResult } } },
    async (request) => {
      const body = withoutSeedNulls(EndFields, request.body);
      const counts = await terminateSession(context, { ...zoneOf(request, body.zone_id), id: body.agent_session_id });
      return { terminated_sessions: counts.terminatedSessions, revoked_edges: counts.revokedEdges };
    },
  );

  seedCreateRoute(app, {
    path: '/v1/exchange',
    body: ExchangeBody,
    fields: ExchangeFields,
    created: CreatedDelegation,
    create: (request) => createDelegation(context, request),
  });
};

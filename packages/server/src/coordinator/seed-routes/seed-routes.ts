import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from '../../auth/principal.ts';
import { forbidden } from '../../http/server-error.ts';
import type { ServerContext } from '../../server-context.ts';
import { delegationProperties } from '../delegations/delegation-schemas.ts';
import type { DelegationRequest } from '../delegations/delegation-request.ts';
import { createDelegation } from '../delegations/delegation-service.ts';
import { terminateSession } from '../sessions/session-lifecycle-service.ts';
import { spawnProperties } from '../sessions/session-schemas.ts';
import { spawnSession, type SpawnRequest } from '../sessions/session-service.ts';
import { agentSessionIdSchema, nameSchema } from '../shared/common-schemas.ts';
import { COORDINATOR_BODY_LIMIT, idempotencyKeyOf, principalOf } from '../shared/request-principal.ts';

const beginBodySchema = {
  type: 'object',
  additionalProperties: false,
  properties: { zone_id: nameSchema, ...spawnProperties },
} as const;

const endBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['agent_session_id'],
  properties: { zone_id: nameSchema, agent_session_id: agentSessionIdSchema },
} as const;

const exchangeBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['source_session_id', 'target_session_id', 'scopes'],
  properties: { zone_id: nameSchema, ...delegationProperties },
} as const;

/** The zone a seed route acts in: the one it names, which must be the mandate's (default: the mandate's). */
function zoneOf(request: FastifyRequest, named: string | undefined): { principal: Principal; zoneId: string } {
  const principal = principalOf(request);
  if (named !== undefined && named !== principal.zoneId) {
    throw forbidden(`the mandate belongs to zone ${principal.zoneId}, not ${named}`);
  }
  return { principal, zoneId: principal.zoneId };
}

/**
 * Seed 003's names for the same operations: `/v1/begin` opens a session, `/v1/end` terminates
 * one with its subtree, `/v1/exchange` records a delegation edge. (`/v1/verify` is the STS's.)
 */
export async function seedRoutes(app: FastifyInstance, options: { context: ServerContext }): Promise<void> {
  const { context } = options;
  const body = { bodyLimit: COORDINATOR_BODY_LIMIT };

  app.post<{ Body: SpawnRequest & { zone_id?: string } }>('/v1/begin', { ...body, schema: { body: beginBodySchema } }, async (request, reply) => {
    const { zone_id: named, ...spawn } = request.body;
    const result = await spawnSession(context, {
      ...zoneOf(request, named),
      body: spawn,
      idempotencyKey: idempotencyKeyOf(request),
      route: 'POST /v1/begin',
    });
    return reply.status(result.statusCode).send(result.body);
  });

  app.post<{ Body: { zone_id?: string; agent_session_id: string } }>('/v1/end', { ...body, schema: { body: endBodySchema } }, async (request) => {
    const counts = await terminateSession(context, { ...zoneOf(request, request.body.zone_id), sessionId: request.body.agent_session_id });
    return { terminated_sessions: counts.terminatedSessions, revoked_edges: counts.revokedEdges };
  });

  app.post<{ Body: DelegationRequest & { zone_id?: string } }>(
    '/v1/exchange',
    { ...body, schema: { body: exchangeBodySchema } },
    async (request, reply) => {
      const { zone_id: named, ...delegation } = request.body;
      const result = await createDelegation(context, {
        ...zoneOf(request, named),
        body: delegation,
        idempotencyKey: idempotencyKeyOf(request),
        route: 'POST /v1/exchange',
      });
      return reply.status(result.statusCode).send(result.body);
    },
  );
}

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authenticate } from '../../auth/authenticate.ts';
import { LIFECYCLE_SCOPE, type Principal, type TokenVerifier } from '../../auth/principal.ts';
import { unauthorized } from '../../http/server-error.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified caller of a Coordinator route; set before validation runs. */
    coordinatorPrincipal: Principal | null;
  }
}

/**
 * Authenticates every Coordinator request before its body is validated, so an anonymous caller
 * learns nothing about the API's shapes: a bearer mandate with `agent:lifecycle` for the zone in
 * the path (routes without one check the zone they name themselves).
 */
export function installAuthentication(app: FastifyInstance, verifier: TokenVerifier): void {
  app.decorateRequest('coordinatorPrincipal', null);
  app.addHook('preValidation', async (request) => {
    const zoneId = (request.params as { zoneId?: unknown } | undefined)?.zoneId;
    request.coordinatorPrincipal = await authenticate(request, verifier, {
      zoneId: typeof zoneId === 'string' ? zoneId : undefined,
      scope: LIFECYCLE_SCOPE,
    });
  });
}

export function principalOf(request: FastifyRequest): Principal {
  if (request.coordinatorPrincipal === null) throw unauthorized('the request was not authenticated');
  return request.coordinatorPrincipal;
}

/** The Idempotency-Key header, when sent (checked by the idempotency service). */
export function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const value = request.headers['idempotency-key'];
  return Array.isArray(value) ? value.join(',') : value;
}

/** Coordinator bodies are small; larger ones are refused before parsing. */
export const COORDINATOR_BODY_LIMIT = 64 * 1024;

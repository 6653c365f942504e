import type { FastifyRequest } from 'fastify';

/**
 * preValidation hook for routes whose body has no required field: a request without a body (or
 * with a JSON `null`) means `{}`. A schema alone cannot accept a missing body and still refuse
 * a wrong one.
 */
export async function treatMissingBodyAsEmpty(request: FastifyRequest): Promise<void> {
  if (request.body === undefined || request.body === null) request.body = {};
}

import type { FastifyRequest } from 'fastify';
import { treatMissingBodyAsEmpty } from '../../http/optional-body.ts';
import type { ActionTarget } from './access.ts';
import type { CreateRequest } from './idempotent-create.ts';
import { COORDINATOR_BODY_LIMIT, idempotencyKeyOf, principalOf } from './request-principal.ts';

/** Options of a route whose body may be left out (an action on one row, a spawn): small, and none at all reads as `{}`. */
export const OPTIONAL_BODY = { bodyLimit: COORDINATOR_BODY_LIMIT, preValidation: treatMissingBodyAsEmpty };

export function actionTargetOf(request: FastifyRequest & { params: { zoneId: string; id: string } }): ActionTarget {
  return { principal: principalOf(request), zoneId: request.params.zoneId, id: request.params.id };
}

/** A `POST /zones/{zoneId}/…` create as its service takes it; `route` is the template (idempotency). */
export function createRequestOf<Body>(
  request: FastifyRequest & { params: { zoneId: string }; body: Body },
  route: string,
): CreateRequest<Body> {
  return {
    principal: principalOf(request),
    zoneId: request.params.zoneId,
    body: request.body,
    idempotencyKey: idempotencyKeyOf(request),
    route,
  };
}


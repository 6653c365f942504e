import type { FastifyRequest } from 'fastify';
import { authenticate } from '../auth/authenticate.ts';
import { LIFECYCLE_SCOPE, type Principal, type TokenVerifier } from '../auth/principal.ts';

/**
 * Authenticates a live-feed request: `Authorization: Bearer …`, or `?access_token=…` because
 * browsers' EventSource and WebSocket cannot set headers. The token then goes through the same
 * `authenticate` rules as every other route (scope agent:lifecycle, zone match). Without `zoneId`
 * the feed is the mandate's own zone's.
 */
export function authenticateFeed(request: FastifyRequest, verifier: TokenVerifier, zoneId?: string): Promise<Principal> {
  const query = request.query as Record<string, unknown> | undefined;
  const queryToken = query?.access_token;
  const hasHeader = typeof request.headers.authorization === 'string';
  const source =
    !hasHeader && typeof queryToken === 'string'
      ? ({ headers: { authorization: `Bearer ${queryToken}` } } as unknown as FastifyRequest)
      : request;
  return authenticate(source, verifier, zoneId === undefined ? { scope: LIFECYCLE_SCOPE } : { zoneId, scope: LIFECYCLE_SCOPE });
}

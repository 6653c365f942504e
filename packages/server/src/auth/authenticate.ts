import type { FastifyRequest } from 'fastify';
import { ServerError, forbidden, unauthorized } from '../http/server-error.ts';
import type { Principal, TokenVerifier } from './principal.ts';

/**
 * Reads `Authorization: Bearer …`, verifies it, and checks the zone in the path and the scope the
 * route needs. Every protected route goes through here, so the rules live in one place.
 */
export async function authenticate(
  request: FastifyRequest,
  verifier: TokenVerifier,
  requirement: { zoneId?: string; scope?: string },
): Promise<Principal> {
  const header = request.headers.authorization;
  if (typeof header !== 'string' || !/^bearer /i.test(header)) {
    throw unauthorized('a bearer mandate is required (Authorization: Bearer <token>)');
  }
  const token = header.slice(7).trim();
  if (token === '') throw unauthorized('the bearer mandate is empty');
  const principal = await verifier.verifyAccessToken(token);
  if (requirement.zoneId !== undefined && principal.zoneId !== requirement.zoneId) {
    throw forbidden(`the mandate belongs to zone ${principal.zoneId}, not ${requirement.zoneId}`);
  }
  if (requirement.scope !== undefined && !principal.scopes.has(requirement.scope) && !principal.admin) {
    throw new ServerError(
      403,
      'insufficient_scope',
      `the mandate lacks the ${requirement.scope} scope`,
    );
  }
  return principal;
}

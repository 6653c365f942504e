import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { ServerConfig } from '../../config.ts';
import { ServerError, notFound } from '../../http/server-error.ts';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * The admin API answers only to `Authorization: Bearer <CARACAL_ADMIN_TOKEN>`, compared in
 * constant time (both sides hashed first, so lengths leak nothing). Without a configured token the
 * admin API does not exist: 404, exactly like an unknown route.
 */
export function checkAdminToken(request: FastifyRequest, config: ServerConfig): void {
  const expected = config.adminToken;
  if (expected === undefined || expected === '') {
    throw notFound(`no route for ${request.method} ${request.url.split('?')[0]}`);
  }
  const header = request.headers.authorization;
  const presented = typeof header === 'string' && /^bearer /i.test(header) ? header.slice(7).trim() : '';
  if (presented === '' || !timingSafeEqual(digest(presented), digest(expected))) {
    throw new ServerError(401, 'invalid_token', 'the admin API requires Authorization: Bearer <CARACAL_ADMIN_TOKEN>', {
      headers: { 'www-authenticate': 'Bearer realm="caracal-admin"' },
    });
  }
}

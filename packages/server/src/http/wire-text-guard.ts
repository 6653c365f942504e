import { findIllFormedText } from '@caracal/protocol';
import type { FastifyInstance } from 'fastify';
import { badRequest } from './server-error.ts';

/**
 * Refuses, on every route, a request whose path, query or body holds a string with U+0000 or a
 * lone surrogate (the rule is the protocol's `isWireText`). Installed on the root before any route,
 * so a route added later is covered without knowing it. It runs as the first `preHandler`: after
 * authentication (an anonymous caller learns nothing about its input) and the schemas, before
 * any handler, so nothing reaches Postgres, which cannot store NUL.
 */
export function installWireTextGuard(app: FastifyInstance): void {
  app.addHook('preHandler', async (request) => {
    const parts = { params: request.params, querystring: request.query, body: request.body };
    for (const [part, value] of Object.entries(parts)) {
      const at = findIllFormedText(value);
      if (at !== undefined) {
        throw badRequest(`${at === '' ? part : `${part}/${at}`} must be well-formed Unicode text without NUL (U+0000)`);
      }
    }
  });
}

import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Action routes (suspend, resume, terminate, revoke, start…) take an optional body: none at all,
 * `{}`, or a JSON body that is empty. Clients differ in what a "bare" request looks like — many
 * send `Content-Type: application/json` on every request, body or not — and all of these must
 * mean the same thing. Fastify's own JSON parser refuses a zero-length body, so this swaps it (for
 * the plugin it is called in: plugins are encapsulated) for one that reads a zero-length body as
 * no body; everything else, malformed JSON included, goes to Fastify's parser unchanged.
 */
export function acceptEmptyJsonBodies(app: FastifyInstance): void {
  // Fastify's defaults; the same prototype-poisoning protection as every other route.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body: string, done) => {
    if (body.length === 0) {
      done(null, undefined);
      return;
    }
    parseJson(request, body, done);
  });
}

/**
 * Route hook for routes whose body schema has no required field (the actions, and spawn): a
 * request without a body (or with an empty JSON one, see above, or an empty `text/plain` one,
 * which is what `fetch` labels `body: ''`) is the same as `{}` — schemas alone cannot accept a
 * missing body and still refuse a wrong one. Routes that need fields leave the body missing, and
 * their schema refuses it.
 */
export async function treatMissingBodyAsEmpty(request: FastifyRequest): Promise<void> {
  if (request.body === undefined || request.body === '') request.body = {};
}

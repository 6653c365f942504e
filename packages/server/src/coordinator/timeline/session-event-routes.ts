import {
  ListSessionEventsQuery,
  PostedEvents,
  PostEventsBody,
  SeedSessionParams,
  SessionEventPage,
  TIMELINE_POST_MAX_BYTES,
} from '@caracal/protocol';
import type { RoutePlugin } from '../../http/route-plugin.ts';
import type { ServerContext } from '../../server-context.ts';
import { principalOf } from '../shared/request-principal.ts';
import { sessionEventPage } from './event-page.ts';
import { postSessionEvents } from './post-events-service.ts';

/** `GET|POST /sessions/{id}/events`: a session's timeline, read in pages and appended to. */
export const sessionEventRoutes: RoutePlugin<{ context: ServerContext }> = async (app, { context }) => {
  app.get(
    '/sessions/:id/events',
    { schema: { params: SeedSessionParams, querystring: ListSessionEventsQuery, response: { 200: SessionEventPage } } },
    async (request) => sessionEventPage(context.database, principalOf(request), request.params.id, request.query),
  );

  app.post(
    '/sessions/:id/events',
    { bodyLimit: TIMELINE_POST_MAX_BYTES, schema: { params: SeedSessionParams, body: PostEventsBody, response: { 201: PostedEvents } } },
    async (request, reply) => {
      const { body } = request;
      const batch = Array.isArray(body);
      const events = await postSessionEvents(context, principalOf(request), request.params.id, batch ? body : [body]);
      return reply.status(201).send(batch ? { ok: true, events } : { ok: true, event: events[0]! });
    },
  );
};

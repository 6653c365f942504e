import {
  LegacyEventsParams,
  LegacyPostedEvent,
  LegacyPostEventBody,
  ListSessionEventsQuery,
  SessionEventPage,
  TIMELINE_EVENT_MAX_BYTES,
} from '@caracal/protocol';
import type { RoutePlugin } from '../../http/route-plugin.ts';
import type { ServerContext } from '../../server-context.ts';
import { idempotencyKeyOf, principalOf } from '../shared/request-principal.ts';
import { createSeedSession } from './create-seed-session.ts';
import { assertPostableEvents } from './event-entries.ts';
import { sessionEventPage } from './event-page.ts';
import { postSessionEvents } from './post-events-service.ts';

/**
 * The seed project's older event routes (docs/sessions.md, Legacy routes). Ids are the server's,
 * so `POST /events` never creates a session under an id a client made up: without `session_id`
 * it creates one (as a bare `POST /sessions`) and records the event there; an id it cannot see is
 * a 404.
 */
export const legacyEventRoutes: RoutePlugin<{ context: ServerContext }> = async (app, { context }) => {
  app.post(
    '/events',
    // Room for one event of the largest size, plus its session id.
    { bodyLimit: TIMELINE_EVENT_MAX_BYTES + 1024, schema: { body: LegacyPostEventBody, response: { 201: LegacyPostedEvent } } },
    async (request, reply) => {
      const principal = principalOf(request);
      const { session_id: named, ...event } = request.body;
      assertPostableEvents([event]);
      const sessionId =
        named ?? (await createSeedSession(context, { principal, body: {}, idempotencyKey: idempotencyKeyOf(request) })).session.session_id;
      const [posted] = await postSessionEvents(context, principal, sessionId, [event]);
      return reply.status(201).send({ ok: true, event: posted!, session_created: named === undefined });
    },
  );

  app.get(
    '/events/:session_id',
    { schema: { params: LegacyEventsParams, querystring: ListSessionEventsQuery, response: { 200: SessionEventPage } } },
    async (request) => sessionEventPage(context.database, principalOf(request), request.params.session_id, request.query),
  );
};

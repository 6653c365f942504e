import { EventsHeaders, SessionFeedQuery } from '@caracal/protocol';
import type { RoutePlugin } from '../http/route-plugin.ts';
import { unauthorized } from '../http/server-error.ts';
import { authenticateFeed } from './feed-auth.ts';
import { feedViewerOf } from './feed-visibility.ts';
import { sessionFeedConnection } from './session-feed-connection.ts';
import { parseSessionFeedRequest } from './session-feed-request.ts';
import type { Principal } from '../auth/principal.ts';
import type { FeedRouteOptions } from './sse-route.ts';
import { startEventStream } from './event-stream.ts';

/**
 * `GET /sse/sessions[?session_id=]`: the Agent Coordinator feed as `text/event-stream`. Each message is an
 * SSE event named by its `type` whose `data:` is the message the WebSocket sends, and whose `id:`
 * is the feed cursor, so `Last-Event-ID` (or `?last_event_id=`) replays exactly what was missed.
 * Every refusal (token, session filter, cursor) is a plain 4xx before the stream starts.
 */
export const sessionSseRoute: RoutePlugin<FeedRouteOptions> = async (app, options) => {
  const { context } = options;
  const principals = new WeakMap<object, Principal>();
  app.get(
    '/sse/sessions',
    {
      schema: { querystring: SessionFeedQuery, headers: EventsHeaders },
      // Before the input is checked, so an anonymous caller learns nothing about it.
      preValidation: async (request) => {
        principals.set(request, await authenticateFeed(request, context.tokenVerifier));
      },
    },
    async (request, reply) => {
      const principal = principals.get(request);
      // Unreachable (preValidation ran), but a feed never opens without knowing its viewer.
      if (principal === undefined) throw unauthorized('a bearer mandate is required');
      const feedRequest = await parseSessionFeedRequest(options.sessions, {
        zoneId: principal.zoneId,
        viewer: feedViewerOf(principal),
        sessionId: request.query.session_id,
        cursor: request.headers['last-event-id'] ?? request.query.last_event_id,
      });

      const { response, end } = startEventStream(request, reply, options.heartbeatMs);
      const connection = sessionFeedConnection(options, {
        send: (message, cursor) => response.write(`id: ${cursor}\nevent: ${message.type}\ndata: ${message.json}\n\n`),
        bufferedBytes: () => response.writableLength,
        corkable: response,
        close: end,
      });
      request.raw.on('close', connection.end);
      try {
        await connection.open(feedRequest);
      } catch (error) {
        request.log.warn({ err: error }, 'session feed could not start');
        // Tell EventSource to come back later; the stream itself already started with 200.
        response.write('retry: 2000\n: feed unavailable\n\n');
        connection.end();
      }
    },
  );
};

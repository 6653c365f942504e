import { EventsHeaders, EventsParams, EventsQuery } from '@caracal/protocol';
import type { ServerContext } from '../server-context.ts';
import type { EventRelay } from './event-relay.ts';
import { feedConnection } from './feed-connection.ts';
import { authenticateFeed } from './feed-auth.ts';
import { parseFeedRequest } from './feed-request.ts';
import { feedViewerOf, type FeedViewer } from './feed-visibility.ts';
import type { RoutePlugin } from '../http/route-plugin.ts';
import { unauthorized } from '../http/server-error.ts';
import type { SessionFeedSessions } from './session-feed-sessions.ts';
import type { WriteCoalescer } from './write-coalescer.ts';
import { startEventStream } from './event-stream.ts';

export interface FeedRouteOptions {
  context: ServerContext;
  relay: EventRelay;
  /** Open feeds, each with the function that ends it (for shutdown). */
  openFeeds: Set<() => void>;
  heartbeatMs: number;
  /** Batches the session feed's writes per client (the zone feed writes at once). */
  coalescer: WriteCoalescer;
  /** The sessions the session feed lists and filters by. */
  sessions: SessionFeedSessions;
}

/**
 * `GET /zones/{zoneId}/events?topics=a,b` as `text/event-stream`. Each event's `id:` is the
 * feed cursor (all topics' positions), so the browser's automatic `Last-Event-ID` resumes
 * exactly; a first `ready` event carries the starting cursor; heartbeats are SSE comments that
 * keep proxies from closing an idle stream.
 */
export const sseRoute: RoutePlugin<FeedRouteOptions> = async (app, options) => {
  const { context } = options;
  const viewers = new WeakMap<object, FeedViewer>();
  app.get(
    '/zones/:zoneId/events',
    {
      schema: { params: EventsParams, querystring: EventsQuery, headers: EventsHeaders },
      // Before the input is checked, so an anonymous caller learns nothing about it.
      preValidation: async (request) => {
        viewers.set(request, feedViewerOf(await authenticateFeed(request, context.tokenVerifier, request.params.zoneId)));
      },
    },
    async (request, reply) => {
      const { zoneId } = request.params;
      const viewer = viewers.get(request);
      // Unreachable (preValidation ran), but a feed never opens without knowing its viewer.
      if (viewer === undefined) throw unauthorized('a bearer mandate is required');
      const feedRequest = parseFeedRequest({ topics: request.query.topics, cursor: request.headers['last-event-id'] ?? request.query.last_event_id });

      const { response, end } = startEventStream(request, reply, options.heartbeatMs);
      const connection = feedConnection(options, {
        send: (json, cursor) => response.write(`id: ${cursor}\ndata: ${json}\n\n`),
        bufferedBytes: () => response.writableLength,
        close: end,
      });
      request.raw.on('close', connection.end);

      try {
        const feed = await connection.open(zoneId, feedRequest, viewer);
        // A named event (EventSource's onmessage ignores it) whose id is the starting cursor: a client
        // that drops before its first event still resumes from here instead of from "now".
        if (feed !== undefined) response.write(`id: ${feed.cursor()}\nevent: ready\ndata: ${JSON.stringify({ cursor: feed.cursor() })}\n\n`);
      } catch (error) {
        request.log.warn({ err: error }, 'event feed could not start');
        // Tell EventSource to come back later; the stream itself already started with 200.
        response.write('retry: 2000\n: feed unavailable\n\n');
        connection.end();
      }
    },
  );
};

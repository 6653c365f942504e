import { EventsHeaders, EventsParams, EventsQuery } from '@caracal/protocol';
import type { ServerContext } from '../server-context.ts';
import { openEventFeed } from './event-feed.ts';
import type { EventRelay } from './event-relay.ts';
import { authenticateFeed } from './feed-auth.ts';
import { feedEventJson, parseFeedRequest } from './feed-request.ts';
import type { RoutePlugin } from '../http/route-plugin.ts';

export interface FeedRouteOptions {
  context: ServerContext;
  relay: EventRelay;
  /** Open feeds, each with the function that ends it (for shutdown). */
  openFeeds: Set<() => void>;
  heartbeatMs: number;
}

/** A client this far behind is cut off; it resumes with Last-Event-ID instead of growing memory. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/**
 * `GET /zones/{zoneId}/events?topics=a,b` as `text/event-stream`. Each event's `id:` is the
 * feed cursor (all topics' positions), so the browser's automatic `Last-Event-ID` resumes
 * exactly; a first `ready` event carries the starting cursor; heartbeats are SSE comments that
 * keep proxies from closing an idle stream.
 */
export const sseRoute: RoutePlugin<FeedRouteOptions> = async (app, options) => {
  const { context, relay, openFeeds } = options;
  app.get(
    '/zones/:zoneId/events',
    {
      schema: { params: EventsParams, querystring: EventsQuery, headers: EventsHeaders },
      // Before the input is checked, so an anonymous caller learns nothing about it.
      preValidation: async (request) => {
        await authenticateFeed(request, context.tokenVerifier, request.params.zoneId);
      },
    },
    async (request, reply) => {
      const { zoneId } = request.params;
      const feedRequest = parseFeedRequest({ topics: request.query.topics, cursor: request.headers['last-event-id'] ?? request.query.last_event_id });

      reply.hijack();
      const response = reply.raw;
      response.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-request-id': request.id,
      });
      response.write(': connected\n\n');

      let feedClose: (() => void) | undefined;
      const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), options.heartbeatMs);
      heartbeat.unref();
      const end = (): void => {
        clearInterval(heartbeat);
        feedClose?.();
        openFeeds.delete(end);
        if (!response.writableEnded) response.end();
      };
      openFeeds.add(end);
      request.raw.on('close', end);

      try {
        const feed = await openEventFeed({
          bus: context.bus,
          relay,
          signingSecret: context.config.eventSigningSecret,
          topics: feedRequest.topics,
          zoneId,
          cursor: feedRequest.cursor,
          onEvent: (event, cursor) => {
            response.write(`id: ${cursor}\ndata: ${feedEventJson(event, cursor)}\n\n`);
            if (response.writableLength > MAX_BUFFERED_BYTES) end();
          },
        });
        feedClose = feed.close;
        if (!openFeeds.has(end)) feed.close();
        // A named event (EventSource's onmessage ignores it) whose id is the starting cursor: a client
        // that drops before its first event still resumes from here instead of from "now".
        else response.write(`id: ${feed.cursor()}\nevent: ready\ndata: ${JSON.stringify({ cursor: feed.cursor() })}\n\n`);
      } catch (error) {
        request.log.warn({ err: error }, 'event feed could not start');
        // Tell EventSource to come back later; the stream itself already started with 200.
        response.write('retry: 2000\n: feed unavailable\n\n');
        end();
      }
    },
  );
};

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { badRequest } from '../http/server-error.ts';
import { openEventFeed } from './event-feed.ts';
import { authenticateFeed } from './feed-auth.ts';
import { feedEventJson, parseFeedRequest, type FeedRequest } from './feed-request.ts';
import type { FeedRouteOptions } from './sse-route.ts';

type WebSocketRequest = FastifyRequest<{ Querystring: Record<string, unknown> }>;

/** Close code for "server going away" (shutdown): clients reconnect with their last cursor. */
const GOING_AWAY = 1001;
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/**
 * `GET /ws?zone_id=…&topics=a,b[&cursor=…]` upgraded to a WebSocket that pushes the same JSON
 * as the SSE feed (each message carries its `cursor` to resume with; the first message is
 * `{ ready: true, cursor }` once the feed is live). Authentication and input
 * checks run before the upgrade, so a refused client gets a plain 4xx answer.
 */
export function registerWebSocketRoute(app: FastifyInstance, options: FeedRouteOptions): void {
  const { context, relay, openFeeds } = options;
  const parsed = new WeakMap<object, { zoneId: string; feed: FeedRequest }>();

  app.get(
    '/ws',
    {
      websocket: true,
      preValidation: async (request: WebSocketRequest) => {
        const zoneId = request.query.zone_id;
        if (typeof zoneId !== 'string' || zoneId === '') throw badRequest('zone_id is required');
        await authenticateFeed(request, context.tokenVerifier, zoneId);
        parsed.set(request, { zoneId, feed: parseFeedRequest({ topics: request.query.topics, cursor: request.query.cursor }) });
      },
    },
    async (socket, request) => {
      const target = parsed.get(request);
      if (target === undefined) {
        socket.close(1008, 'unauthenticated');
        return;
      }
      let feedClose: (() => void) | undefined;
      let heartbeat: NodeJS.Timeout | undefined;
      const end = (): void => {
        clearInterval(heartbeat);
        feedClose?.();
        openFeeds.delete(end);
        if (socket.readyState === socket.OPEN) socket.close(GOING_AWAY, 'server closing');
      };
      openFeeds.add(end);
      socket.on('close', end);
      try {
        const feed = await openEventFeed({
          bus: context.bus,
          relay,
          signingSecret: context.config.eventSigningSecret,
          topics: target.feed.topics,
          zoneId: target.zoneId,
          ...(target.feed.cursor === undefined ? {} : { cursor: target.feed.cursor }),
          onEvent: (event, cursor) => {
            socket.send(feedEventJson(event, cursor));
            if (socket.bufferedAmount > MAX_BUFFERED_BYTES) end();
          },
        });
        feedClose = feed.close;
        if (!openFeeds.has(end)) {
          feed.close();
          return;
        }
        // The starting cursor, so a client that drops before its first event resumes from here.
        socket.send(JSON.stringify({ ready: true, cursor: feed.cursor() }));
        heartbeat = setInterval(() => socket.ping(), options.heartbeatMs);
        heartbeat.unref();
      } catch (error) {
        request.log.warn({ err: error }, 'websocket feed could not start');
        socket.close(1011, 'feed unavailable');
        end();
      }
    },
  );
}

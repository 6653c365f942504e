import { WebSocketQuery, type FeedReady } from '@caracal/protocol';
import { authenticateFeed } from './feed-auth.ts';
import { feedConnection } from './feed-connection.ts';
import { parseFeedRequest, type FeedRequest } from './feed-request.ts';
import { feedViewerOf, type FeedViewer } from './feed-visibility.ts';
import type { FeedRouteOptions } from './sse-route.ts';
import type { RoutePlugin } from '../http/route-plugin.ts';

/** Close code for "server going away" (shutdown): clients reconnect with their last cursor. */
const GOING_AWAY = 1001;

/**
 * `GET /ws?zone_id=…&topics=a,b[&cursor=…]` upgraded to a WebSocket that pushes the same JSON
 * as the SSE feed (each message carries its `cursor` to resume with; the first message is
 * `{ ready: true, cursor }` once the feed is live). Authentication and input
 * checks run before the upgrade, so a refused client gets a plain 4xx answer.
 */
export const webSocketRoute: RoutePlugin<FeedRouteOptions> = async (app, options) => {
  const { context } = options;
  const parsed = new WeakMap<object, FeedRequest>();
  const viewers = new WeakMap<object, FeedViewer>();

  app.get(
    '/ws',
    {
      websocket: true,
      schema: { querystring: WebSocketQuery },
      // Before the input is checked, so an anonymous caller learns nothing about it. Without a
      // zone there is nothing to authenticate against, and the schema refuses the request.
      preValidation: async (request) => {
        const zoneId: unknown = request.query.zone_id;
        if (typeof zoneId === 'string' && zoneId !== '') {
          viewers.set(request, feedViewerOf(await authenticateFeed(request, context.tokenVerifier, zoneId)));
        }
      },
      // Still before the upgrade, so a bad topic or cursor is a plain 400.
      preHandler: async (request) => {
        parsed.set(request, parseFeedRequest({ topics: request.query.topics, cursor: request.query.cursor }));
      },
    },
    async (socket, request) => {
      const feedRequest = parsed.get(request);
      const viewer = viewers.get(request);
      if (feedRequest === undefined || viewer === undefined) {
        socket.close(1008, 'unauthenticated');
        return;
      }
      let heartbeat: NodeJS.Timeout | undefined;
      const connection = feedConnection(options, {
        send: (json) => socket.send(json),
        bufferedBytes: () => socket.bufferedAmount,
        close: () => {
          clearInterval(heartbeat);
          if (socket.readyState === socket.OPEN) socket.close(GOING_AWAY, 'server closing');
        },
      });
      socket.on('close', connection.end);
      try {
        const feed = await connection.open(request.query.zone_id, feedRequest, viewer);
        if (feed === undefined) return;
        // The starting cursor, so a client that drops before its first event resumes from here.
        const ready: FeedReady = { ready: true, cursor: feed.cursor() };
        socket.send(JSON.stringify(ready));
        heartbeat = setInterval(() => socket.ping(), options.heartbeatMs);
        heartbeat.unref();
      } catch (error) {
        request.log.warn({ err: error }, 'websocket feed could not start');
        socket.close(1011, 'feed unavailable');
        connection.end();
      }
    },
  );
};

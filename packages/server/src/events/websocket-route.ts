import { WebSocketQuery, type FeedReady } from '@caracal/protocol';
import type { WebSocket } from 'ws';
import type { FastifyRequest } from 'fastify';
import { authenticateFeed } from './feed-auth.ts';
import { feedConnection } from './feed-connection.ts';
import { parseFeedRequest, type FeedRequest } from './feed-request.ts';
import { feedViewerOf, type FeedViewer } from './feed-visibility.ts';
import { sessionFeedConnection } from './session-feed-connection.ts';
import { parseSessionFeedRequest, type SessionFeedRequest } from './session-feed-request.ts';
import type { FeedRouteOptions } from './sse-route.ts';
import type { RoutePlugin } from '../http/route-plugin.ts';
import { badRequest } from '../http/server-error.ts';
import type { Principal } from '../auth/principal.ts';

/** Close code for "server going away" (shutdown): clients reconnect with their last cursor. */
const GOING_AWAY = 1001;

type WebSocketPlan =
  | { kind: 'zone'; zoneId: string; viewer: FeedViewer; request: FeedRequest }
  | { kind: 'sessions'; request: SessionFeedRequest };

/**
 * `GET /ws` speaks one of two protocols, chosen by `zone_id`
 * (docs/decisions/2026-12-04-two-websocket-protocols.md):
 * - `?zone_id=…&topics=a,b[&cursor=…]`: the zone feed, the same JSON as the zone's SSE feed (each
 *   message carries its `cursor`; the first is `{ ready: true, cursor }` once the feed is live);
 * - no `zone_id`: the Agent Coordinator session feed of the bearer's zone (`init`, then `event`,
 *   `session_created`, …; `?session_id=` filters to one session).
 * Authentication and input checks run before the upgrade, so a refused client gets a plain 4xx.
 */
export const webSocketRoute: RoutePlugin<FeedRouteOptions> = async (app, options) => {
  const { context } = options;
  const principals = new WeakMap<object, Principal>();
  const plans = new WeakMap<object, WebSocketPlan>();

  app.get(
    '/ws',
    {
      websocket: true,
      schema: { querystring: WebSocketQuery },
      // Before the input is checked, so an anonymous caller learns nothing about it. An empty
      // zone_id names no zone to authenticate against; the schema refuses it.
      preValidation: async (request) => {
        const zoneId: unknown = (request.query as Record<string, unknown>).zone_id;
        if (zoneId === undefined) principals.set(request, await authenticateFeed(request, context.tokenVerifier));
        else if (typeof zoneId === 'string' && zoneId !== '') principals.set(request, await authenticateFeed(request, context.tokenVerifier, zoneId));
      },
      // Still before the upgrade, so a bad topic, cursor or session is a plain 4xx.
      preHandler: async (request) => {
        const principal = principals.get(request);
        if (principal !== undefined) plans.set(request, await planOf(request, principal));
      },
    },
    async (socket, request) => {
      const plan = plans.get(request);
      if (plan === undefined) {
        socket.close(1008, 'unauthenticated');
        return;
      }
      if (plan.kind === 'zone') await runZoneFeed(socket, request, plan);
      else await runSessionFeed(socket, request, plan.request);
    },
  );

  async function planOf(request: FastifyRequest<{ Querystring: WebSocketQuery }>, principal: Principal): Promise<WebSocketPlan> {
    const query = request.query;
    const viewer = feedViewerOf(principal);
    if (query.zone_id !== undefined) {
      if (query.session_id !== undefined) throw badRequest('session_id belongs to the session feed (/ws without zone_id); the zone feed filters by topics');
      return { kind: 'zone', zoneId: query.zone_id, viewer, request: parseFeedRequest({ topics: query.topics, cursor: query.cursor }) };
    }
    if (query.topics !== undefined || query.cursor !== undefined) {
      throw badRequest('topics and cursor belong to the zone feed: add zone_id (without it, /ws is the session feed)');
    }
    const sessionRequest = await parseSessionFeedRequest(options.sessions, {
      zoneId: principal.zoneId,
      viewer,
      sessionId: query.session_id,
      cursor: undefined,
    });
    return { kind: 'sessions', request: sessionRequest };
  }

  function heartbeatOf(socket: WebSocket): NodeJS.Timeout {
    const heartbeat = setInterval(() => socket.ping(), options.heartbeatMs);
    heartbeat.unref();
    return heartbeat;
  }

  async function runZoneFeed(socket: WebSocket, request: FastifyRequest, plan: Extract<WebSocketPlan, { kind: 'zone' }>): Promise<void> {
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
      const feed = await connection.open(plan.zoneId, plan.request, plan.viewer);
      if (feed === undefined) return;
      // The starting cursor, so a client that drops before its first event resumes from here.
      const ready: FeedReady = { ready: true, cursor: feed.cursor() };
      socket.send(JSON.stringify(ready));
      heartbeat = heartbeatOf(socket);
    } catch (error) {
      request.log.warn({ err: error }, 'websocket feed could not start');
      socket.close(1011, 'feed unavailable');
      connection.end();
    }
  }

  async function runSessionFeed(socket: WebSocket, request: FastifyRequest, sessionRequest: SessionFeedRequest): Promise<void> {
    let heartbeat: NodeJS.Timeout | undefined;
    const connection = sessionFeedConnection(options, {
      send: (message) => socket.send(message.bytes ?? message.json, { binary: false }),
      bufferedBytes: () => socket.bufferedAmount,
      // The upgraded request's socket is the one the WebSocket writes its frames to.
      corkable: request.raw.socket,
      close: () => {
        clearInterval(heartbeat);
        if (socket.readyState === socket.OPEN) socket.close(GOING_AWAY, 'server closing');
      },
    });
    socket.on('close', connection.end);
    try {
      if (await connection.open(sessionRequest)) heartbeat = heartbeatOf(socket);
    } catch (error) {
      request.log.warn({ err: error }, 'session websocket feed could not start');
      socket.close(1011, 'feed unavailable');
      connection.end();
    }
  }
};

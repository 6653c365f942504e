import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../server-context.ts';
import { createEventRelay } from './event-relay.ts';
import { sseRoute } from './sse-route.ts';
import type { SessionFeedSessions } from './session-feed-sessions.ts';
import { sessionSseRoute } from './session-sse-route.ts';
import { FEED_TOPICS } from './topics.ts';
import { createWriteCoalescer } from './write-coalescer.ts';
import { webSocketRoute } from './websocket-route.ts';

export interface EventsPluginOptions {
  context: ServerContext;
  /** Interval of SSE comment heartbeats and WebSocket pings. @default 15000 */
  heartbeatMs?: number;
  /** The sessions of the session feed (`init`, `?session_id=`), passed in by the Coordinator. */
  sessions: SessionFeedSessions;
  /** How long the session feed gathers a client's messages into one write. @default 10 */
  coalesceWindowMs?: number;
}

/**
 * The live feeds: the zone feed (SSE and WebSocket) and the Agent Coordinator session feed (`/ws` without a
 * zone, `/sse/sessions`). They share one relay per app over every feed topic, started by the
 * first feed (so an app nobody watches holds no Redis subscriptions) and stopped when the app closes. On
 * shutdown every open feed is ended before the server stops accepting, so `close()` never waits
 * on a stream that would otherwise stay open forever.
 */
export async function eventsPlugin(app: FastifyInstance, options: EventsPluginOptions): Promise<void> {
  const { context } = options;
  const relay = createEventRelay({
    bus: context.bus,
    signingSecret: context.config.eventSigningSecret,
    topics: FEED_TOPICS,
    onListenerError: (error) => context.logger.warn({ err: error }, 'live feed listener failed'),
  });
  const openFeeds = new Set<() => void>();
  const coalescer = createWriteCoalescer(options.coalesceWindowMs ?? 10, (error) =>
    context.logger.warn({ err: error }, 'live feed write failed'),
  );
  const routeOptions = { context, relay, openFeeds, heartbeatMs: options.heartbeatMs ?? 15_000, coalescer, sessions: options.sessions };

  await app.register(websocket);
  await app.register(sseRoute, routeOptions);
  await app.register(webSocketRoute, routeOptions);
  await app.register(sessionSseRoute, routeOptions);

  app.addHook('preClose', async () => {
    coalescer.flush();
    for (const end of [...openFeeds]) end();
  });
  app.addHook('onClose', async () => {
    await relay.stop();
  });
}

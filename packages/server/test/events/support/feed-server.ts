import { afterAll, afterEach, beforeAll } from 'vitest';
import type { EventBus } from '../../../src/events/event-bus.ts';
import { createOutboxPublisher } from '../../../src/events/outbox-publisher.ts';
import type { Backend } from '../../helpers/backends.ts';
import { openEventBackend, type EventBackend } from './event-backend.ts';
import { FEED_SECRET, startFeedApp } from './feed-app.ts';

/** A suite's feed server: set in `beforeAll`, so read its fields inside tests and hooks only. */
export interface FeedServer {
  events: EventBackend;
  bus: EventBus;
  url: string;
  /** Keeps a client (SSE stream, WebSocket) to close after the test. */
  track<Client extends { close(): void }>(client: Client): Client;
}

/**
 * For a `describe` on `backend`: the events plugin on a real port over the backend's database and
 * bus, with an outbox publisher polling every 20 ms; the clients a test tracks are closed after it,
 * the rest when the suite ends.
 */
export function useFeedServer(backend: Backend, options: { publisherId: string; heartbeatMs?: number; cors?: boolean }): FeedServer {
  const clients: Array<{ close(): void }> = [];
  const feed = {
    track(client) {
      clients.push(client);
      return client;
    },
  } as FeedServer;
  let close: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    feed.events = await openEventBackend(backend);
    feed.bus = await feed.events.openBus();
    const { database } = feed.events;
    const started = await startFeedApp({ database, bus: feed.bus, heartbeatMs: options.heartbeatMs, cors: options.cors });
    feed.url = started.url;
    const publisher = createOutboxPublisher({ database, bus: feed.bus, signingSecret: FEED_SECRET, publisherId: options.publisherId, pollIntervalMs: 20 });
    await publisher.start();
    close = async () => {
      await publisher.stop();
      await started.app.close();
    };
  }, 60_000);
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });
  afterAll(async () => {
    await close?.();
    await feed.events?.close();
  });
  return feed;
}

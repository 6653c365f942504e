import type { AddressInfo } from 'node:net';
import cors from '@fastify/cors';
import Fastify, { type FastifyInstance } from 'fastify';
import { DEFAULT_LIMITS, type ServerConfig } from '../../../src/config.ts';
import type { Database } from '../../../src/db/database.ts';
import type { EventBus } from '../../../src/events/event-bus.ts';
import { seedFeedSessions } from '../../../src/coordinator/timeline/seed-feed-sessions.ts';
import { eventsPlugin } from '../../../src/events/plugin.ts';
import { installErrorHandler } from '../../../src/http/error-handler.ts';
import type { ServerContext } from '../../../src/server-context.ts';
import { fakeTokenVerifier } from './fake-token-verifier.ts';

export const FEED_SECRET = 'feed-test-secret';

export function testConfig(): ServerConfig {
  return {
    issuer: 'http://127.0.0.1',
    adminToken: undefined,
    limits: DEFAULT_LIMITS,
    eventSigningSecret: FEED_SECRET,
    keyEncryptionSecret: 'unused',
    jobs: false,
    maxMandateSeconds: 900,
    sessionMandateSeconds: 3600,
  };
}

/** The events plugin alone (CORS when asked) on a real port, with test tokens and short heartbeats. */
export async function startFeedApp(options: { database: Database; bus: EventBus; heartbeatMs?: number; cors?: boolean }): Promise<{
  app: FastifyInstance;
  url: string;
  context: ServerContext;
}> {
  const app = Fastify({ logger: false });
  const context: ServerContext = {
    database: options.database,
    bus: options.bus,
    config: testConfig(),
    tokenVerifier: fakeTokenVerifier(),
    logger: app.log,
    now: Date.now,
  };
  installErrorHandler(app);
  if (options.cors === true) await app.register(cors, { origin: '*' });
  await app.register(eventsPlugin, { context, sessions: seedFeedSessions(options.database), heartbeatMs: options.heartbeatMs ?? 60_000 });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, context };
}

import type { FastifyBaseLogger } from 'fastify';
import type { TokenVerifier } from './auth/principal.ts';
import type { ServerConfig } from './config.ts';
import type { Database } from './db/database.ts';
import type { EventBus } from './events/event-bus.ts';

/** The shared dependencies every route plugin and job receives; no module-level singletons. */
export interface ServerContext {
  database: Database;
  bus: EventBus;
  config: ServerConfig;
  tokenVerifier: TokenVerifier;
  logger: FastifyBaseLogger;
  /** Milliseconds since the epoch; injectable so tests control time. */
  now: () => number;
}

/**
 * The context each app and running server was built with, kept off their public shapes: only
 * tests and benches reach it, through `serverContextOf` in the `@caracal/server/testing` entry.
 */
const contexts = new WeakMap<object, ServerContext>();

export function attachServerContext(owner: object, context: ServerContext): void {
  contexts.set(owner, context);
}

/** The dependencies an app from `buildApp` or a server from `startServer` runs with. */
export function serverContextOf(owner: object): ServerContext {
  const context = contexts.get(owner);
  if (context === undefined) throw new TypeError('serverContextOf: not an app or server built by @caracal/server');
  return context;
}

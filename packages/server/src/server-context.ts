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

export { buildApp, type AppDependencies, type BuildAppOptions } from './app.ts';
export { DEFAULT_LIMITS, type ServerConfig, type SessionLimits } from './config.ts';
export type { Database } from './db/database.ts';
export { openDatabase, type OpenDatabaseOptions } from './db/open-database.ts';
export type { BusEntry, EventBus } from './events/event-bus.ts';
export { ALL_TOPICS, Topics, type Topic } from './events/topics.ts';
export type { ServerContext } from './server-context.ts';
export { startServer, type RunningServer, type StartServerOptions } from './start-server.ts';
export type { BootstrapDocument } from './sts/bootstrap.ts';

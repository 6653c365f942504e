// `@caracal/server/testing`: the internals that tests and benches reach into (the database, the
// event bus, the outbox). Not a supported API: it follows the server's inner design, not semver.
export type { ServerConfig } from './config.ts';
export type { Database, Transaction } from './db/database.ts';
export { openDatabase, type OpenDatabaseOptions } from './db/open-database.ts';
export { useInMemoryTemplate } from './db/in-memory-template.ts';
export { migratedEmbeddedTarball } from './db/migrated-tarball.ts';
export { writeMigratedTemplate, type MigratedTemplateFile } from './db/migrated-template-file.ts';
export { enqueueEvents, type OutboxEvent } from './events/enqueue-event.ts';
export type { BusEntry, EventBus } from './events/event-bus.ts';
export { serverContextOf, type ServerContext } from './server-context.ts';
export { appendTimelineEvents } from './coordinator/timeline/timeline-repository.ts';
export type { TimelineEntry } from './coordinator/timeline/timeline-entry.ts';
export { stsRuntimeOf, type ExchangeRecorder, type StsRuntime } from './sts/sts-runtime.ts';
export { agentEventLogOf, type AgentEventLog, type AgentPost } from './coordinator/timeline/agent-event-log.ts';
export { startServerProcess, type ServerProcess } from './server-process.ts';

export { buildApp, type AppDependencies, type BuildAppOptions } from './app.ts';
export { DEFAULT_LIMITS, type SessionLimits } from './config.ts';
export { ALL_TOPICS, Topics, type Topic } from './events/topics.ts';
export { DEFAULT_JOB_SETTINGS, type JobSettings } from './jobs/job-settings.ts';
export { startServer, type RunningServer, type StartServerOptions } from './start-server.ts';
export type { BootstrapDocument } from './sts/bootstrap.ts';

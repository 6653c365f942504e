import type { StartServerOptions } from '../start-server.ts';
import { effectiveLogLevel, type ServerSettings } from './server-settings.ts';

/** The `startServer` options the settings ask for: what `main.ts` and `caracal server start` both start with. */
export function startOptionsFrom(settings: ServerSettings): StartServerOptions {
  const optional = {
    issuer: settings.publicUrl,
    databaseUrl: settings.databaseUrl,
    dataDir: settings.dataDir,
    redisUrl: settings.redisUrl,
    redisKeyPrefix: settings.redisKeyPrefix,
    adminToken: settings.adminToken,
    keyEncryptionSecret: settings.keySecret,
    previousKeyEncryptionSecret: settings.previousKeySecret,
    eventSigningSecret: settings.eventSecret,
    bootstrap: settings.bootstrap,
  };
  return {
    port: settings.port,
    host: settings.host,
    databaseSchema: settings.databaseSchema,
    databasePoolSize: settings.databasePoolSize,
    corsOrigins: settings.corsOrigins,
    agentsDir: settings.agentsDir,
    logger: { level: effectiveLogLevel(settings) },
    jobSettings: { timelineRetentionMs: settings.timelineRetentionDays * 24 * 3_600_000 },
    runs: {
      recoveryMode: settings.runRecoveryMode,
      noMatchTimeoutSeconds: settings.runNoMatchTimeout,
      heartbeatTimeoutSeconds: settings.runnerHeartbeatTimeout,
    },
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
  };
}

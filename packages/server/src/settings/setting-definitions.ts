/**
 * Every server setting, once: its flag (`caracal server start` and `node dist/main.js`), its
 * environment variable and its config-file key. docs/configuration.md is this table in prose; a
 * test keeps the CLI's flags equal to it.
 */
export const SETTING_DEFINITIONS = [
  { key: 'port', flag: '--port', env: 'PORT', file: 'port', kind: 'port' },
  { key: 'host', flag: '--host', env: 'HOST', file: 'host', kind: 'text' },
  { key: 'publicUrl', flag: '--public-url', env: 'CARACAL_PUBLIC_URL', file: 'public_url', kind: 'httpUrl' },
  { key: 'databaseUrl', flag: '--database-url', env: 'DATABASE_URL', file: 'database_url', kind: 'postgresUrl' },
  { key: 'databaseSchema', flag: '--database-schema', env: 'DATABASE_SCHEMA', file: 'database_schema', kind: 'identifier' },
  { key: 'databasePoolSize', flag: '--database-pool-size', env: 'DATABASE_POOL_SIZE', file: 'database_pool_size', kind: 'connections' },
  { key: 'dataDir', flag: '--data-dir', env: 'CARACAL_DATA_DIR', file: 'data_dir', kind: 'text' },
  { key: 'redisUrl', flag: '--redis-url', env: 'REDIS_URL', file: 'redis_url', kind: 'redisUrl' },
  { key: 'redisKeyPrefix', flag: '--redis-key-prefix', env: 'CARACAL_REDIS_KEY_PREFIX', file: 'redis_key_prefix', kind: 'text' },
  { key: 'adminToken', flag: '--admin-token', env: 'CARACAL_ADMIN_TOKEN', file: 'admin_token', kind: 'secret' },
  { key: 'keySecret', flag: '--key-secret', env: 'CARACAL_KEY_SECRET', file: 'key_secret', kind: 'secret' },
  { key: 'previousKeySecret', flag: '--previous-key-secret', env: 'CARACAL_PREVIOUS_KEY_SECRET', file: 'previous_key_secret', kind: 'secret' },
  { key: 'eventSecret', flag: '--event-secret', env: 'CARACAL_EVENT_SECRET', file: 'event_secret', kind: 'secret' },
  { key: 'corsOrigins', flag: '--cors-origins', env: 'CORS_ORIGINS', file: 'cors_origins', kind: 'origins' },
  { key: 'logLevel', flag: '--log-level', env: 'LOG_LEVEL', file: 'log_level', kind: 'logLevel' },
  { key: 'debugLogging', flag: '--debug-logging', env: 'DEBUG_LOGGING', file: 'debug_logging', kind: 'boolean' },
  {
    key: 'timelineRetentionDays',
    flag: '--timeline-retention-days',
    env: 'CARACAL_TIMELINE_RETENTION_DAYS',
    file: 'timeline_retention_days',
    kind: 'days',
  },
  { key: 'runRecoveryMode', flag: '--run-recovery-mode', env: 'RUN_RECOVERY_MODE', file: 'run_recovery_mode', kind: 'recoveryMode' },
  { key: 'runNoMatchTimeout', flag: '--run-no-match-timeout', env: 'RUN_NO_MATCH_TIMEOUT', file: 'run_no_match_timeout', kind: 'seconds' },
  { key: 'runnerHeartbeatTimeout', flag: '--runner-heartbeat-timeout', env: 'RUNNER_HEARTBEAT_TIMEOUT', file: 'runner_heartbeat_timeout', kind: 'seconds' },
  { key: 'agentsDir', flag: '--agents-dir', env: 'AGENT_ORCHESTRATOR_AGENTS_DIR', file: 'agents_dir', kind: 'text' },
  { key: 'projectDir', flag: '--project-dir', env: 'AGENT_ORCHESTRATOR_PROJECT_DIR', file: 'project_dir', kind: 'text' },
] as const;

export type SettingDefinition = (typeof SETTING_DEFINITIONS)[number];
export type SettingKey = SettingDefinition['key'];

/** The config file's path: `--config` or `CARACAL_CONFIG`; the file itself cannot name another. */
export const CONFIG_FILE_SETTING = { flag: '--config', env: 'CARACAL_CONFIG' } as const;

/** The definition of `key`. */
export function definitionOf(key: SettingKey): SettingDefinition {
  return SETTING_DEFINITIONS.find((definition) => definition.key === key)!;
}

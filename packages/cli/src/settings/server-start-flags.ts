/**
 * The flags of `caracal server start`, one per server setting. The server's settings reader
 * (`@caracal/server`, shared with its `main.ts`) parses their values; the CLI cannot import that
 * table without loading the server, so it is repeated here and a test keeps the two equal.
 * Environment variables and config keys are in docs/configuration.md.
 */
export const SERVER_START_FLAGS = [
  { flag: '--port <port>', help: 'TCP port, 0 picks a free one (PORT; default 4000)' },
  { flag: '--host <host>', help: 'interface to bind (HOST; default 127.0.0.1)' },
  { flag: '--public-url <url>', help: 'the URL clients reach the server at: issuer of its mandates (CARACAL_PUBLIC_URL; default the listening URL)' },
  { flag: '--database-url <url>', help: 'postgres:// URL (DATABASE_URL; default embedded PGlite)' },
  { flag: '--database-schema <name>', help: 'Postgres schema of the tables (DATABASE_SCHEMA; default caracal)' },
  { flag: '--database-pool-size <count>', help: 'Postgres connections this process keeps at most (DATABASE_POOL_SIZE; default 20)' },
  { flag: '--data-dir <dir>', help: 'PGlite folder without a database URL; memory:// keeps nothing (CARACAL_DATA_DIR; default .caracal-data)' },
  { flag: '--redis-url <url>', help: 'redis:// URL (REDIS_URL; default in-process event bus)' },
  { flag: '--redis-key-prefix <prefix>', help: 'prefix of the Redis stream keys (CARACAL_REDIS_KEY_PREFIX)' },
  { flag: '--admin-token <token>', help: 'admin API bearer (CARACAL_ADMIN_TOKEN; default: generated and printed)' },
  { flag: '--key-secret <secret>', help: 'encrypts signing keys at rest (CARACAL_KEY_SECRET; required on Postgres)' },
  { flag: '--previous-key-secret <secret>', help: 'the key secret being rotated away from (CARACAL_PREVIOUS_KEY_SECRET)' },
  { flag: '--event-secret <secret>', help: 'signs revocation events for receivers (CARACAL_EVENT_SECRET; required on Postgres)' },
  { flag: '--cors-origins <list>', help: 'origins browsers may call from, comma-separated (CORS_ORIGINS; default *)' },
  { flag: '--log-level <level>', help: 'server log level (LOG_LEVEL; default warn)' },
  { flag: '--debug-logging', help: 'log at debug level (DEBUG_LOGGING=true)' },
  { flag: '--timeline-retention-days <days>', help: 'days a session timeline event is kept (CARACAL_TIMELINE_RETENTION_DAYS; default 30)' },
  { flag: '--run-recovery-mode <mode>', help: 'runs left under way at start: stale, all or none (RUN_RECOVERY_MODE; default stale)' },
  { flag: '--run-no-match-timeout <seconds>', help: 'a pending run no runner claims within this fails (RUN_NO_MATCH_TIMEOUT; default 300)' },
  { flag: '--runner-heartbeat-timeout <seconds>', help: 'a runner silent this long loses its runs (RUNNER_HEARTBEAT_TIMEOUT; default 60)' },
  { flag: '--agents-dir <dir>', help: 'blueprint directories, one folder per zone (AGENT_ORCHESTRATOR_AGENTS_DIR; default <project dir>/.agent-orchestrator/agents)' },
  { flag: '--project-dir <dir>', help: 'project directory, the agents dir\'s fallback (AGENT_ORCHESTRATOR_PROJECT_DIR; default the working directory)' },
] as const;

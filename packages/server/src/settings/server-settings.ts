import type { BootstrapDocument } from '@caracal/protocol';
import { defaultAgentsDir } from '../coordinator/blueprints/agents-dir.ts';
import { DEFAULT_DATABASE_POOL_SIZE, DEFAULT_DATABASE_SCHEMA } from '../db/open-database.ts';
import { parseSetting, type SettingValues } from './parse-setting.ts';
import { SETTING_DEFINITIONS, type SettingDefinition, type SettingKey } from './setting-definitions.ts';
import type { SettingSource } from './settings-error.ts';

/** Every setting after precedence and parsing; undefined means "not set, no default". */
export interface ServerSettings {
  port: number;
  host: string;
  publicUrl: string | undefined;
  databaseUrl: string | undefined;
  /** Postgres schema of the tables; ignored by the embedded database. */
  databaseSchema: string;
  /** Connections this process keeps to Postgres at most; ignored by the embedded database. */
  databasePoolSize: number;
  /** PGlite data folder; only used without a database URL (`memory://` keeps nothing). */
  dataDir: string | undefined;
  redisUrl: string | undefined;
  redisKeyPrefix: string | undefined;
  adminToken: string | undefined;
  keySecret: string | undefined;
  previousKeySecret: string | undefined;
  eventSecret: string | undefined;
  corsOrigins: '*' | string[];
  logLevel: string;
  debugLogging: boolean;
  /** Days a timeline event is kept before the retention job deletes it. */
  timelineRetentionDays: number;
  /** What recovery at start does with runs left under way (docs/runs.md). */
  runRecoveryMode: 'stale' | 'all' | 'none';
  /** Seconds a pending run waits for a runner before it fails. */
  runNoMatchTimeout: number;
  /** Seconds of runner silence after which it loses its runs. */
  runnerHeartbeatTimeout: number;
  /** Where blueprints live (docs/blueprints.md): the agents dir, else `<project dir>/.agent-orchestrator/agents`, absolute. */
  agentsDir: string;
  /** The config file's `zones`, applied idempotently at start. */
  bootstrap: BootstrapDocument | undefined;
}

/** A parsed config file: its path (for error messages) and its JSON object. */
export interface SettingsFile {
  path: string;
  values: Readonly<Record<string, unknown>>;
  bootstrap: BootstrapDocument | undefined;
}

/** What the reader reads, highest precedence first. Flags hold raw values keyed like `ServerSettings`. */
export interface SettingSources {
  flags?: Partial<Record<SettingKey, string | number | boolean>>;
  env?: Readonly<Record<string, string | undefined>>;
  file?: SettingsFile;
  /** The directory relative paths start from (the agents dir's fallback); default the process's. */
  cwd?: string;
}

export const DEFAULT_DATA_DIR = '.caracal-data';

const DEFAULTS = {
  port: 4000,
  host: '127.0.0.1',
  databaseSchema: DEFAULT_DATABASE_SCHEMA,
  databasePoolSize: DEFAULT_DATABASE_POOL_SIZE,
  corsOrigins: '*',
  logLevel: 'warn',
  debugLogging: false,
  timelineRetentionDays: 30,
  runRecoveryMode: 'stale',
  runNoMatchTimeout: 300,
  runnerHeartbeatTimeout: 60,
} as const satisfies Partial<Record<SettingKey, unknown>>;

/**
 * The one settings reader of `node dist/main.js` and `caracal server start`: a flag wins over the
 * environment variable, which wins over the config file, which wins over the default. Empty
 * environment variables count as unset (`export X=` clears one).
 */
export function resolveServerSettings(sources: SettingSources): ServerSettings {
  const read = <Key extends SettingKey>(key: Key) => readSetting(SETTING_DEFINITIONS.find((definition) => definition.key === key)!, sources);
  const databaseUrl = read('databaseUrl') as string | undefined;
  const dataDir = read('dataDir') as string | undefined;
  return {
    port: (read('port') as number | undefined) ?? DEFAULTS.port,
    host: (read('host') as string | undefined) ?? DEFAULTS.host,
    publicUrl: read('publicUrl') as string | undefined,
    databaseUrl,
    databaseSchema: (read('databaseSchema') as string | undefined) ?? DEFAULTS.databaseSchema,
    databasePoolSize: (read('databasePoolSize') as number | undefined) ?? DEFAULTS.databasePoolSize,
    dataDir: databaseUrl === undefined ? (dataDir ?? DEFAULT_DATA_DIR) : undefined,
    redisUrl: read('redisUrl') as string | undefined,
    redisKeyPrefix: read('redisKeyPrefix') as string | undefined,
    adminToken: read('adminToken') as string | undefined,
    keySecret: read('keySecret') as string | undefined,
    previousKeySecret: read('previousKeySecret') as string | undefined,
    eventSecret: read('eventSecret') as string | undefined,
    corsOrigins: (read('corsOrigins') as '*' | string[] | undefined) ?? DEFAULTS.corsOrigins,
    logLevel: (read('logLevel') as string | undefined) ?? DEFAULTS.logLevel,
    debugLogging: (read('debugLogging') as boolean | undefined) ?? DEFAULTS.debugLogging,
    timelineRetentionDays: (read('timelineRetentionDays') as number | undefined) ?? DEFAULTS.timelineRetentionDays,
    runRecoveryMode: (read('runRecoveryMode') as ServerSettings['runRecoveryMode'] | undefined) ?? DEFAULTS.runRecoveryMode,
    runNoMatchTimeout: (read('runNoMatchTimeout') as number | undefined) ?? DEFAULTS.runNoMatchTimeout,
    runnerHeartbeatTimeout: (read('runnerHeartbeatTimeout') as number | undefined) ?? DEFAULTS.runnerHeartbeatTimeout,
    agentsDir: defaultAgentsDir({
      agentsDir: read('agentsDir') as string | undefined,
      projectDir: read('projectDir') as string | undefined,
      cwd: sources.cwd ?? process.cwd(),
    }),
    bootstrap: sources.file?.bootstrap,
  };
}

/** The level the logger runs at: `DEBUG_LOGGING=true` turns on debug unless the level is already finer. */
export function effectiveLogLevel(settings: Pick<ServerSettings, 'logLevel' | 'debugLogging'>): string {
  return settings.debugLogging && settings.logLevel !== 'trace' ? 'debug' : settings.logLevel;
}

function readSetting(definition: SettingDefinition, sources: SettingSources): SettingValues[keyof SettingValues] | undefined {
  const flag = sources.flags?.[definition.key];
  if (flag !== undefined) return parseSetting(definition, flag, { kind: 'flag', name: definition.flag });
  const variable = sources.env?.[definition.env];
  if (variable !== undefined && variable.trim() !== '') {
    return parseSetting(definition, variable, { kind: 'environment', name: definition.env });
  }
  const file = sources.file;
  if (file !== undefined && file.values[definition.file] !== undefined) {
    const source: SettingSource = { kind: 'config file', name: definition.file, path: file.path };
    return parseSetting(definition, file.values[definition.file], source);
  }
  return undefined;
}

import { CliError } from '../errors.ts';
import { randomToken } from '../random-token.ts';
import type { BootstrapDocument } from '@caracal/protocol';
import { nonEmpty } from './coordinator-settings.ts';
import type { ServerConfigFile } from './server-config-file.ts';

/** The `caracal server start` flags, after commander parsed them: the settings of the config file. */
export type ServerStartFlags = Omit<ServerConfigFile, 'bootstrap'>;

export interface ServerSettings {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  /** PGlite data folder; only used when there is no database URL. */
  dataDir: string | undefined;
  adminToken: string;
  /** True when nobody configured an admin token and one was made up for this run. */
  adminTokenGenerated: boolean;
  logLevel: string;
  bootstrap: BootstrapDocument | undefined;
}

/** Where an embedded database keeps its data between runs (ignored by the repo's .gitignore). */
export const DEFAULT_DATA_DIR = '.caracal-data';
export const DEFAULT_PORT = 4000;
export const DEFAULT_HOST = '127.0.0.1';

/**
 * Flags win over environment variables, which win over the config file, which wins over the
 * embedded defaults (port 4000, PGlite in `.caracal-data`, the in-process bus).
 */
export function resolveServerSettings(
  flags: ServerStartFlags,
  env: Readonly<Record<string, string | undefined>>,
  config: ServerConfigFile,
): ServerSettings {
  const databaseUrl = flags.databaseUrl ?? nonEmpty(env.DATABASE_URL) ?? config.databaseUrl;
  const configuredToken = flags.adminToken ?? nonEmpty(env.CARACAL_ADMIN_TOKEN) ?? config.adminToken;
  return {
    port: flags.port ?? environmentPort(env.PORT) ?? config.port ?? DEFAULT_PORT,
    host: flags.host ?? nonEmpty(env.HOST) ?? config.host ?? DEFAULT_HOST,
    databaseUrl,
    redisUrl: flags.redisUrl ?? nonEmpty(env.REDIS_URL) ?? config.redisUrl,
    dataDir: databaseUrl === undefined ? (flags.dataDir ?? nonEmpty(env.CARACAL_DATA_DIR) ?? config.dataDir ?? DEFAULT_DATA_DIR) : undefined,
    adminToken: configuredToken ?? randomToken(24),
    adminTokenGenerated: configuredToken === undefined,
    logLevel: flags.logLevel ?? nonEmpty(env.LOG_LEVEL) ?? config.logLevel ?? 'warn',
    bootstrap: config.bootstrap,
  };
}

function environmentPort(value: string | undefined): number | undefined {
  const text = nonEmpty(value);
  if (text === undefined) return undefined;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535) throw new CliError('invalid_config', `PORT must be a whole number from 0 to 65535, not ${text}`);
  return port;
}

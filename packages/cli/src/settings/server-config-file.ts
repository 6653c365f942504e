import { readFile } from 'node:fs/promises';
import { BootstrapDocument, schemaChecker } from '@caracal/protocol';
import { CliError } from '../errors.ts';

/**
 * `caracal.config.json`: the bootstrap document's `zones` plus the server settings, snake_case
 * like every other JSON of Caracal. Flags and environment variables override it. The zones are
 * checked against the same schema as `startServer({ bootstrap })`, so the CLI accepts exactly
 * what the server does.
 */
export interface ServerConfigFile {
  port?: number;
  host?: string;
  databaseUrl?: string;
  redisUrl?: string;
  dataDir?: string;
  adminToken?: string;
  logLevel?: string;
  bootstrap?: BootstrapDocument;
}

const STRING_SETTINGS = {
  host: 'host',
  database_url: 'databaseUrl',
  redis_url: 'redisUrl',
  data_dir: 'dataDir',
  admin_token: 'adminToken',
  log_level: 'logLevel',
} as const;
const checkBootstrap = schemaChecker(BootstrapDocument);
const KNOWN_KEYS = ['$schema', 'port', 'zones', ...Object.keys(STRING_SETTINGS)];

export async function readServerConfigFile(path: string): Promise<ServerConfigFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new CliError('invalid_config', `cannot read config file ${path}: ${typeof code === 'string' ? code : String(error)}`, { cause: error });
  }
  return parseServerConfig(text, path);
}

export function parseServerConfig(text: string, source: string): ServerConfigFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CliError('invalid_config', `${source}: not valid JSON (${(error as Error).message})`, { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new CliError('invalid_config', `${source}: must be a JSON object`);
  const record = parsed as Record<string, unknown>;
  // Every problem is collected, so the file is fixed in one edit rather than one run per mistake.
  const problems: string[] = [];
  for (const unknown of Object.keys(record).filter((key) => !KNOWN_KEYS.includes(key))) {
    problems.push(`${unknown} is not a known setting (expected ${KNOWN_KEYS.slice(1).join(', ')})`);
  }
  const config: ServerConfigFile = {};
  if (record.port !== undefined) {
    if (isPort(record.port)) config.port = record.port;
    else problems.push('port must be a whole number from 0 to 65535');
  }
  for (const [key, field] of Object.entries(STRING_SETTINGS)) {
    const value = record[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value === '') problems.push(`${key} must be a non-empty string`);
    else config[field] = value;
  }
  if (record.zones !== undefined) {
    const bootstrap = checkBootstrap({ zones: record.zones });
    if (bootstrap.ok) config.bootstrap = bootstrap.value;
    else problems.push(...bootstrap.problems);
  }
  if (problems.length === 1) throw new CliError('invalid_config', `${source}: ${problems[0]}`);
  if (problems.length > 1) throw new CliError('invalid_config', `${source}: ${problems.length} problems\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
  return config;
}

function isPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 65_535;
}

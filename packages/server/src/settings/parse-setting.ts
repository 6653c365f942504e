import type { SettingDefinition } from './setting-definitions.ts';
import { describeSource, ServerSettingsError, type SettingSource } from './settings-error.ts';

/** The typed value of each kind of setting. */
export interface SettingValues {
  port: number;
  text: string;
  secret: string;
  httpUrl: string;
  postgresUrl: string;
  redisUrl: string;
  identifier: string;
  origins: '*' | string[];
  logLevel: string;
  boolean: boolean;
  days: number;
  seconds: number;
  connections: number;
  recoveryMode: 'stale' | 'all' | 'none';
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const RECOVERY_MODES = ['stale', 'all', 'none'];

/**
 * Turns a raw value (a flag's or variable's text, or a config file's JSON value) into the
 * setting's type, or throws a `ServerSettingsError` naming the setting and where it was read.
 */
export function parseSetting<Kind extends keyof SettingValues>(
  definition: SettingDefinition & { kind: Kind },
  raw: unknown,
  source: SettingSource,
): SettingValues[Kind] {
  const fail = (expected: string): never => {
    throw new ServerSettingsError('invalid_setting', definition.env, `${definition.env} (${describeSource(source)}) must be ${expected}`, source);
  };
  const parsed = parseKind(definition.kind, raw, fail);
  return parsed as SettingValues[Kind];
}

function parseKind(kind: keyof SettingValues, raw: unknown, fail: (expected: string) => never): SettingValues[keyof SettingValues] {
  switch (kind) {
    case 'port':
      return port(raw, fail);
    case 'boolean':
      return boolean(raw, fail);
    case 'days':
      return days(raw, fail);
    case 'origins':
      return origins(raw, fail);
    case 'seconds':
      return seconds(raw, fail);
    case 'connections':
      return connections(raw, fail);
    default: {
      const value = text(raw, fail);
      if (kind === 'httpUrl') return httpUrl(value, fail);
      if (kind === 'postgresUrl') return urlWith(value, ['postgres:', 'postgresql:'], 'a postgres:// URL', fail);
      if (kind === 'redisUrl') return urlWith(value, ['redis:', 'rediss:'], 'a redis:// or rediss:// URL', fail);
      if (kind === 'identifier' && !/^[a-z_][a-z0-9_]{0,62}$/.test(value)) fail('a Postgres schema name: lower-case letters, digits and _, at most 63');
      if (kind === 'logLevel' && !LOG_LEVELS.includes(value)) fail(`one of ${LOG_LEVELS.join(', ')}`);
      if (kind === 'recoveryMode' && !RECOVERY_MODES.includes(value)) fail(`one of ${RECOVERY_MODES.join(', ')}`);
      return value;
    }
  }
}

function text(raw: unknown, fail: (expected: string) => never): string {
  if (typeof raw !== 'string' || raw.trim() === '') return fail('a non-empty string');
  return raw.trim();
}

function port(raw: unknown, fail: (expected: string) => never): number {
  const value = typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65_535) return fail('a whole number from 0 to 65535');
  return value;
}

/** A whole number of days, 1 to 3650 (ten years). */
function days(raw: unknown, fail: (expected: string) => never): number {
  const value = typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 3650) return fail('a whole number of days from 1 to 3650');
  return value;
}

/** A whole number of seconds, 1 to a day. */
function seconds(raw: unknown, fail: (expected: string) => never): number {
  const value = typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 86_400) return fail('a whole number of seconds from 1 to 86400');
  return value;
}

/** A whole number of connections, 1 to 1000 (Postgres's own limit is usually far lower). */
function connections(raw: unknown, fail: (expected: string) => never): number {
  const value = typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 1000) return fail('a whole number of connections from 1 to 1000');
  return value;
}

function boolean(raw: unknown, fail: (expected: string) => never): boolean {
  if (typeof raw === 'boolean') return raw;
  const value = typeof raw === 'string' ? raw.trim().toLowerCase() : undefined;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return fail('true or false');
}

/** `*`, or a comma-separated list (a JSON array in the config file) of origins like `https://app.example:8443`. */
function origins(raw: unknown, fail: (expected: string) => never): '*' | string[] {
  const expected = '* or a comma-separated list of origins (scheme://host[:port])';
  const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : fail(expected);
  const list = items.map((item) => (typeof item === 'string' ? item.trim() : fail(expected))).filter((item) => item !== '');
  if (list.length === 1 && list[0] === '*') return '*';
  if (list.length === 0) return fail(expected);
  for (const origin of list) {
    if (!URL.canParse(origin) || new URL(origin).origin !== origin) fail(`${expected}; ${origin} is not an origin`);
  }
  return list;
}

/** An absolute http(s) URL without query, fragment or credentials; a bare trailing `/` is dropped. */
function httpUrl(value: string, fail: (expected: string) => never): string {
  const expected = 'an absolute http:// or https:// URL without query, fragment or credentials';
  if (!URL.canParse(value)) return fail(expected);
  const url = new URL(value);
  if (!['http:', 'https:'].includes(url.protocol) || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') return fail(expected);
  return value.endsWith('/') ? value.slice(0, -1) : value;
}

function urlWith(value: string, protocols: string[], expected: string, fail: (expected: string) => never): string {
  if (!URL.canParse(value) || !protocols.includes(new URL(value).protocol)) return fail(expected);
  return value;
}

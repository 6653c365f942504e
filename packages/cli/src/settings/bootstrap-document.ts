import { CliError } from '../errors.ts';

/** DESIGN §4's bootstrap document: what must exist when the server starts (applied idempotently). */
export interface BootstrapDocument {
  zones: Array<{
    id: string;
    name?: string;
    applications?: Array<{ id: string; secret: string; scopes?: string[] }>;
    resources?: Array<{ id: string; scopes: string[] }>;
  }>;
}

type Json = Record<string, unknown>;

/**
 * Checks the `zones` array of a config file and returns it typed. Typos fail here, with the path
 * of the bad field, instead of silently creating nothing.
 */
export function parseBootstrapZones(value: unknown, source: string): BootstrapDocument['zones'] {
  const fail = (path: string, problem: string): never => {
    throw new CliError('invalid_config', `${source}: ${path} ${problem}`);
  };
  if (!Array.isArray(value)) return fail('zones', 'must be an array');
  return value.map((zone: unknown, zoneIndex) => {
    const at = `zones[${zoneIndex}]`;
    const record = objectWith(zone, ['id', 'name', 'applications', 'resources'], at, fail);
    const id = text(record.id, `${at}.id`, fail);
    const applications = optionalArray(record.applications, `${at}.applications`, fail).map((application, index) => {
      const where = `${at}.applications[${index}]`;
      const entry = objectWith(application, ['id', 'secret', 'scopes'], where, fail);
      const scopes = entry.scopes === undefined ? undefined : texts(entry.scopes, `${where}.scopes`, fail);
      return { id: text(entry.id, `${where}.id`, fail), secret: text(entry.secret, `${where}.secret`, fail), ...(scopes === undefined ? {} : { scopes }) };
    });
    const resources = optionalArray(record.resources, `${at}.resources`, fail).map((resource, index) => {
      const where = `${at}.resources[${index}]`;
      const entry = objectWith(resource, ['id', 'scopes'], where, fail);
      return { id: text(entry.id, `${where}.id`, fail), scopes: texts(entry.scopes, `${where}.scopes`, fail) };
    });
    return { id, ...(record.name === undefined ? {} : { name: text(record.name, `${at}.name`, fail) }), applications, resources };
  });
}

type Fail = (path: string, problem: string) => never;

function objectWith(value: unknown, keys: readonly string[], path: string, fail: Fail): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(path, 'must be an object');
  const unknown = Object.keys(value).find((key) => !keys.includes(key));
  if (unknown !== undefined) fail(`${path}.${unknown}`, `is not a known field (expected ${keys.join(', ')})`);
  return value as Json;
}

function text(value: unknown, path: string, fail: Fail): string {
  if (typeof value !== 'string' || value === '') return fail(path, 'must be a non-empty string');
  return value;
}

function texts(value: unknown, path: string, fail: Fail): string[] {
  if (!Array.isArray(value)) return fail(path, 'must be an array of strings');
  return value.map((item, index) => text(item, `${path}[${index}]`, fail));
}

function optionalArray(value: unknown, path: string, fail: Fail): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return fail(path, 'must be an array');
  return value;
}

import { readFile } from 'node:fs/promises';
import { BootstrapDocument, schemaChecker } from '@caracal/protocol';
import { SETTING_DEFINITIONS } from './setting-definitions.ts';
import { ServerSettingsError } from './settings-error.ts';
import type { SettingsFile } from './server-settings.ts';

const CONFIG_SETTING = 'CARACAL_CONFIG';
const KNOWN_KEYS = ['$schema', 'zones', ...SETTING_DEFINITIONS.map((definition) => definition.file)];
const checkBootstrap = schemaChecker(BootstrapDocument);

/** Reads `caracal.config.json`: settings in snake_case plus the bootstrap document's `zones`. */
export async function readSettingsFile(path: string): Promise<SettingsFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new ServerSettingsError('invalid_setting', CONFIG_SETTING, `cannot read config file ${path}: ${typeof code === 'string' ? code : String(error)}`);
  }
  return parseSettingsFile(text, path);
}

/**
 * Checks the file's shape: a JSON object of known keys whose `zones` match the same schema as
 * `startServer({ bootstrap })`. Each setting's value is checked by the reader, which knows its kind.
 */
export function parseSettingsFile(text: string, path: string): SettingsFile {
  const invalid = (problem: string): ServerSettingsError =>
    new ServerSettingsError('invalid_setting', CONFIG_SETTING, `${path}: ${problem}`, { kind: 'config file', name: '', path });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalid(`not valid JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid('must be a JSON object');
  const values = parsed as Record<string, unknown>;
  const unknown = Object.keys(values).find((key) => !KNOWN_KEYS.includes(key));
  if (unknown !== undefined) throw invalid(`${unknown} is not a known setting (expected ${KNOWN_KEYS.slice(1).join(', ')})`);
  if (values.zones === undefined) return { path, values, bootstrap: undefined };
  const bootstrap = checkBootstrap({ zones: values.zones });
  if (!bootstrap.ok) throw invalid(bootstrap.problem);
  return { path, values, bootstrap: bootstrap.value };
}

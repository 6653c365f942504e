import { readFile } from 'node:fs/promises';
import { BootstrapDocument, schemaChecker } from '@caracal/protocol';
import { parseSetting } from './parse-setting.ts';
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
  // Every problem is collected, so the file is fixed in one edit rather than one run per mistake.
  const problems: string[] = [];
  let settingError: ServerSettingsError | undefined;
  for (const unknown of Object.keys(values).filter((key) => !KNOWN_KEYS.includes(key))) {
    problems.push(`${unknown} is not a known setting (expected ${KNOWN_KEYS.slice(1).join(', ')})`);
  }
  for (const definition of SETTING_DEFINITIONS) {
    const value = values[definition.file];
    if (value === undefined) continue;
    try {
      parseSetting(definition, value, { kind: 'config file', name: definition.file, path });
    } catch (error) {
      if (!(error instanceof ServerSettingsError)) throw error;
      problems.push(error.message);
      settingError = error;
    }
  }
  const bootstrap = values.zones === undefined ? undefined : checkBootstrap({ zones: values.zones });
  if (bootstrap !== undefined && !bootstrap.ok) problems.push(...bootstrap.problems);
  // A lone bad value keeps its own error, which names the setting and where it was read.
  if (problems.length === 1) throw settingError ?? invalid(problems[0]!);
  if (problems.length > 1) throw invalid(`${problems.length} problems\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
  return { path, values, bootstrap: bootstrap?.ok === true ? bootstrap.value : undefined };
}

import { parseArgs } from 'node:util';
import { readServerSettings } from './settings/read-server-settings.ts';
import { CONFIG_FILE_SETTING, SETTING_DEFINITIONS, type SettingKey } from './settings/setting-definitions.ts';
import { ServerSettingsError } from './settings/settings-error.ts';
import { startOptionsFrom } from './settings/start-options.ts';
import { startServer } from './start-server.ts';

/**
 * `node dist/main.js [--port 4000 …]`: the server from the same settings as `caracal server start`
 * (flags > environment > config file, docs/configuration.md), with graceful shutdown. A bad or
 * missing setting prints one line naming it and exits 3.
 */
const OPTIONS: Record<string, { type: 'string' | 'boolean' }> = {
  [CONFIG_FILE_SETTING.flag.slice(2)]: { type: 'string' },
  ...Object.fromEntries(SETTING_DEFINITIONS.map((definition) => [definition.flag.slice(2), { type: definition.kind === 'boolean' ? 'boolean' : 'string' }])),
};

try {
  const { values } = parseArgs({ args: process.argv.slice(2), options: OPTIONS, strict: true });
  const flags: Partial<Record<SettingKey, string | boolean>> = {};
  for (const definition of SETTING_DEFINITIONS) {
    const value = values[definition.flag.slice(2)];
    if (typeof value === 'string' || typeof value === 'boolean') flags[definition.key] = value;
  }
  const configPath = values[CONFIG_FILE_SETTING.flag.slice(2)];
  const settings = await readServerSettings({ flags, env: process.env, ...(typeof configPath === 'string' ? { configPath } : {}) });
  const server = await startServer(startOptionsFrom(settings));
  for (const notice of server.notices) process.stderr.write(`caracal server: ${notice}\n`);
  process.stdout.write(`caracal server listening on ${server.url}\n`);
  process.stdout.write(`operator console: ${server.url}/console/ (sign in with an operator mandate: caracal console)\n`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void server.close().then(() => process.exit(0));
    });
  }
} catch (error) {
  if (!(error instanceof ServerSettingsError) && !(error instanceof TypeError && 'code' in error)) throw error;
  process.stderr.write(`caracal server: ${error.message}\n`);
  process.exit(3);
}

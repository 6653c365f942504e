import { CONFIG_FILE_SETTING } from './setting-definitions.ts';
import { readSettingsFile } from './settings-file.ts';
import { resolveServerSettings, type ServerSettings, type SettingSources } from './server-settings.ts';

/**
 * Reads the settings of one start: the config file named by `--config` (`configPath`) or
 * `CARACAL_CONFIG`, then `resolveServerSettings` over flags, environment and that file.
 */
export async function readServerSettings(sources: {
  flags?: SettingSources['flags'];
  configPath?: string;
  env?: Readonly<Record<string, string | undefined>>;
}): Promise<ServerSettings> {
  const fromEnv = sources.env?.[CONFIG_FILE_SETTING.env];
  const path = sources.configPath ?? (fromEnv === undefined || fromEnv.trim() === '' ? undefined : fromEnv.trim());
  const file = path === undefined ? undefined : await readSettingsFile(path);
  return resolveServerSettings({
    ...(sources.flags === undefined ? {} : { flags: sources.flags }),
    ...(sources.env === undefined ? {} : { env: sources.env }),
    ...(file === undefined ? {} : { file }),
  });
}

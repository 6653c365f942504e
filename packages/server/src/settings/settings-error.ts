/** Where a setting's value came from, as an operator would look for it. */
export type SettingSource =
  | { kind: 'flag'; name: string }
  | { kind: 'environment'; name: string }
  | { kind: 'config file'; name: string; path: string }
  | { kind: 'default' };

export type ServerSettingsErrorCode = 'invalid_setting' | 'missing_setting';

/**
 * A server setting that is missing or malformed. `setting` is the environment variable's name (the
 * table in docs/configuration.md lists its flag and config key beside it); `source` says where
 * the bad value was read.
 */
export class ServerSettingsError extends Error {
  readonly code: ServerSettingsErrorCode;
  readonly setting: string;
  readonly source: SettingSource | undefined;

  constructor(code: ServerSettingsErrorCode, setting: string, message: string, source?: SettingSource) {
    super(message);
    this.name = 'ServerSettingsError';
    this.code = code;
    this.setting = setting;
    this.source = source;
  }
}

/** `flag --port`, `environment PORT`, `config file ./caracal.config.json: port`. */
export function describeSource(source: SettingSource): string {
  switch (source.kind) {
    case 'flag':
      return `flag ${source.name}`;
    case 'environment':
      return `environment ${source.name}`;
    case 'config file':
      return `config file ${source.path}: ${source.name}`;
    case 'default':
      return 'default';
  }
}

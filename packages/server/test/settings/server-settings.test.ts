import { describe, expect, it } from 'vitest';
import { resolveServerSettings, type SettingsFile } from '../../src/settings/server-settings.ts';
import { parseSettingsFile } from '../../src/settings/settings-file.ts';
import { ServerSettingsError } from '../../src/settings/settings-error.ts';
import { startOptionsFrom } from '../../src/settings/start-options.ts';

const BOOTSTRAP = {
  zones: [
    {
      id: 'zone_dev',
      applications: [{ id: 'app_orchestrator', secret: 's3cret', scopes: ['tools:call'] }],
      resources: [{ id: 'mcp://tools.local', scopes: ['tools:call'] }],
    },
  ],
};

const file = (values: Record<string, unknown>): SettingsFile => parseSettingsFile(JSON.stringify(values), 'caracal.config.json');

describe('resolveServerSettings: one reader for main.ts and caracal server start', () => {
  it('has defaults for everything but the secrets, which have none', () => {
    expect(resolveServerSettings({ cwd: '/srv/project' })).toEqual({
      port: 4000,
      host: '127.0.0.1',
      publicUrl: undefined,
      databaseUrl: undefined,
      databaseSchema: 'caracal',
      databasePoolSize: 20,
      dataDir: '.caracal-data',
      redisUrl: undefined,
      redisKeyPrefix: undefined,
      adminToken: undefined,
      keySecret: undefined,
      previousKeySecret: undefined,
      eventSecret: undefined,
      corsOrigins: '*',
      logLevel: 'warn',
      debugLogging: false,
      timelineRetentionDays: 30,
      runRecoveryMode: 'stale',
      runNoMatchTimeout: 300,
      runnerHeartbeatTimeout: 60,
      agentsDir: '/srv/project/.agent-orchestrator/agents',
      bootstrap: undefined,
    });
  });

  it('finds the agents dir as the seed project does: its own setting, else under the project dir, else under the working directory', () => {
    const cwd = '/srv/project';
    expect(resolveServerSettings({ cwd, env: { AGENT_ORCHESTRATOR_AGENTS_DIR: '/data/agents', AGENT_ORCHESTRATOR_PROJECT_DIR: '/elsewhere' } }).agentsDir).toBe('/data/agents');
    expect(resolveServerSettings({ cwd, env: { AGENT_ORCHESTRATOR_AGENTS_DIR: 'relative/agents' } }).agentsDir).toBe('/srv/project/relative/agents');
    expect(resolveServerSettings({ cwd, env: { AGENT_ORCHESTRATOR_PROJECT_DIR: '/work/app' } }).agentsDir).toBe('/work/app/.agent-orchestrator/agents');
    expect(resolveServerSettings({ cwd, flags: { agentsDir: '/flag/agents' }, env: { AGENT_ORCHESTRATOR_AGENTS_DIR: '/env/agents' } }).agentsDir).toBe('/flag/agents');
    expect(resolveServerSettings({ cwd, file: file({ project_dir: '/from/config' }) }).agentsDir).toBe('/from/config/.agent-orchestrator/agents');
  });

  it('prefers a flag over the environment over the config file, setting by setting', () => {
    const config = file({ port: 1, host: 'config-host', admin_token: 'config-token', redis_url: 'redis://config', key_secret: 'config-key', ...BOOTSTRAP });
    const env = { PORT: '2', CARACAL_ADMIN_TOKEN: 'env-token', DATABASE_URL: 'postgres://env/db', CARACAL_KEY_SECRET: 'env-key' };
    const settings = resolveServerSettings({ flags: { port: 3, keySecret: 'flag-key' }, env, file: config });
    expect(settings).toMatchObject({
      port: 3,
      host: 'config-host',
      adminToken: 'env-token',
      databaseUrl: 'postgres://env/db',
      dataDir: undefined,
      redisUrl: 'redis://config',
      keySecret: 'flag-key',
      bootstrap: BOOTSTRAP,
    });
    expect(resolveServerSettings({ env, file: config })).toMatchObject({ port: 2, keySecret: 'env-key' });
    expect(resolveServerSettings({ file: config })).toMatchObject({ port: 1, keySecret: 'config-key' });
  });

  it('reaches every setting from each of the three sources', () => {
    const values = {
      port: ['8080', 8080],
      host: ['0.0.0.0', '0.0.0.0'],
      publicUrl: ['https://caracal.example', 'https://caracal.example'],
      databaseUrl: ['postgres://db/x', 'postgres://db/x'],
      databaseSchema: ['tenant_a', 'tenant_a'],
      redisUrl: ['redis://r:6379', 'redis://r:6379'],
      redisKeyPrefix: ['prod:', 'prod:'],
      adminToken: ['adm', 'adm'],
      keySecret: ['k', 'k'],
      previousKeySecret: ['old-k', 'old-k'],
      eventSecret: ['e', 'e'],
      corsOrigins: ['https://a.example,https://b.example', ['https://a.example', 'https://b.example']],
      logLevel: ['info', 'info'],
      debugLogging: ['true', true],
      timelineRetentionDays: ['14', 14],
      runRecoveryMode: ['all', 'all'],
      runNoMatchTimeout: ['120', 120],
      runnerHeartbeatTimeout: ['30', 30],
      databasePoolSize: ['8', 8],
    } as const;
    const env = { PORT: '8080', HOST: '0.0.0.0', CARACAL_PUBLIC_URL: 'https://caracal.example', DATABASE_URL: 'postgres://db/x', DATABASE_SCHEMA: 'tenant_a', REDIS_URL: 'redis://r:6379', CARACAL_REDIS_KEY_PREFIX: 'prod:', CARACAL_ADMIN_TOKEN: 'adm', CARACAL_KEY_SECRET: 'k', CARACAL_PREVIOUS_KEY_SECRET: 'old-k', CARACAL_EVENT_SECRET: 'e', CORS_ORIGINS: 'https://a.example,https://b.example', LOG_LEVEL: 'info', DEBUG_LOGGING: 'true', CARACAL_TIMELINE_RETENTION_DAYS: '14', RUN_RECOVERY_MODE: 'all', RUN_NO_MATCH_TIMEOUT: '120', RUNNER_HEARTBEAT_TIMEOUT: '30', DATABASE_POOL_SIZE: '8' };
    const config = file({ port: 8080, host: '0.0.0.0', public_url: 'https://caracal.example', database_url: 'postgres://db/x', database_schema: 'tenant_a', redis_url: 'redis://r:6379', redis_key_prefix: 'prod:', admin_token: 'adm', key_secret: 'k', previous_key_secret: 'old-k', event_secret: 'e', cors_origins: ['https://a.example', 'https://b.example'], log_level: 'info', debug_logging: true, timeline_retention_days: 14, run_recovery_mode: 'all', run_no_match_timeout: 120, runner_heartbeat_timeout: 30, database_pool_size: 8 });
    const flags = Object.fromEntries(Object.entries(values).map(([key, [raw]]) => [key, raw]));
    const expected = Object.fromEntries(Object.entries(values).map(([key, [, parsed]]) => [key, parsed]));
    expect(resolveServerSettings({ flags })).toMatchObject(expected);
    expect(resolveServerSettings({ env })).toMatchObject(expected);
    expect(resolveServerSettings({ file: config })).toMatchObject(expected);
  });

  it('counts an empty environment variable as unset', () => {
    expect(resolveServerSettings({ env: { PORT: '', CARACAL_KEY_SECRET: '  ' }, file: file({ port: 5 }) })).toMatchObject({ port: 5, keySecret: undefined });
  });

  it('refuses a bad value with a typed error naming the setting and where it was read', () => {
    const refusal = (run: () => unknown): ServerSettingsError => {
      try {
        run();
      } catch (error) {
        expect(error).toBeInstanceOf(ServerSettingsError);
        return error as ServerSettingsError;
      }
      throw new Error('expected a ServerSettingsError');
    };
    expect(refusal(() => resolveServerSettings({ env: { PORT: 'http' } }))).toMatchObject({
      code: 'invalid_setting',
      setting: 'PORT',
      source: { kind: 'environment', name: 'PORT' },
      message: 'PORT (environment PORT) must be a whole number from 0 to 65535',
    });
    expect(refusal(() => resolveServerSettings({ flags: { corsOrigins: 'https://a.example/path' } })).message).toBe(
      'CORS_ORIGINS (flag --cors-origins) must be * or a comma-separated list of origins (scheme://host[:port]); https://a.example/path is not an origin',
    );
    expect(refusal(() => resolveServerSettings({ file: file({ public_url: 'https://caracal.example/?x=1' }) })).message).toBe(
      'CARACAL_PUBLIC_URL (config file caracal.config.json: public_url) must be an absolute http:// or https:// URL without query, fragment or credentials',
    );
    expect(refusal(() => resolveServerSettings({ env: { DATABASE_URL: 'mysql://db/x' } })).setting).toBe('DATABASE_URL');
    expect(refusal(() => resolveServerSettings({ env: { DATABASE_SCHEMA: 'Robert"); DROP' } })).setting).toBe('DATABASE_SCHEMA');
    expect(refusal(() => resolveServerSettings({ env: { DEBUG_LOGGING: 'yes please' } })).message).toBe('DEBUG_LOGGING (environment DEBUG_LOGGING) must be true or false');
    expect(refusal(() => resolveServerSettings({ env: { LOG_LEVEL: 'loud' } })).setting).toBe('LOG_LEVEL');
    for (const days of ['0', '1.5', '3651', 'a month']) {
      expect(refusal(() => resolveServerSettings({ env: { CARACAL_TIMELINE_RETENTION_DAYS: days } })).message).toBe(
        'CARACAL_TIMELINE_RETENTION_DAYS (environment CARACAL_TIMELINE_RETENTION_DAYS) must be a whole number of days from 1 to 3650',
      );
    }
    for (const count of ['0', '2.5', '1001', 'many']) {
      expect(refusal(() => resolveServerSettings({ env: { DATABASE_POOL_SIZE: count } })).message).toBe(
        'DATABASE_POOL_SIZE (environment DATABASE_POOL_SIZE) must be a whole number of connections from 1 to 1000',
      );
    }
    expect(refusal(() => resolveServerSettings({ env: { RUN_RECOVERY_MODE: 'some' } })).message).toBe(
      'RUN_RECOVERY_MODE (environment RUN_RECOVERY_MODE) must be one of stale, all, none',
    );
    for (const seconds of ['0', '2.5', '86401', 'soon']) {
      expect(refusal(() => resolveServerSettings({ env: { RUN_NO_MATCH_TIMEOUT: seconds } })).message).toBe(
        'RUN_NO_MATCH_TIMEOUT (environment RUN_NO_MATCH_TIMEOUT) must be a whole number of seconds from 1 to 86400',
      );
    }
    expect(refusal(() => resolveServerSettings({ file: file({ key_secret: 42 }) })).message).toBe('CARACAL_KEY_SECRET (config file caracal.config.json: key_secret) must be a non-empty string');
  });

  it('never echoes the refused value (it may be a secret or hold a password)', () => {
    expect(() => resolveServerSettings({ env: { DATABASE_URL: 'mysql://user:hunter2@db/x' } })).toThrow(/^(?!.*hunter2)/);
  });

  it('drops a bare trailing slash of the public URL, so the issuer matches what verifiers are told', () => {
    expect(resolveServerSettings({ env: { CARACAL_PUBLIC_URL: 'https://caracal.example/' } }).publicUrl).toBe('https://caracal.example');
  });
});

describe('startOptionsFrom', () => {
  it('turns DEBUG_LOGGING=true into debug-level logs, whatever LOG_LEVEL says, except the finer trace', () => {
    expect(startOptionsFrom(resolveServerSettings({ env: { DEBUG_LOGGING: 'true' } })).logger).toEqual({ level: 'debug' });
    expect(startOptionsFrom(resolveServerSettings({ env: { DEBUG_LOGGING: 'true', LOG_LEVEL: 'error' } })).logger).toEqual({ level: 'debug' });
    expect(startOptionsFrom(resolveServerSettings({ env: { DEBUG_LOGGING: 'true', LOG_LEVEL: 'trace' } })).logger).toEqual({ level: 'trace' });
    expect(startOptionsFrom(resolveServerSettings({ env: { DEBUG_LOGGING: 'false' } })).logger).toEqual({ level: 'warn' });
  });

  it('maps every setting onto startServer and leaves unset ones out', () => {
    const settings = resolveServerSettings({
      cwd: '/srv/project',
      env: { CARACAL_PUBLIC_URL: 'https://c.example', CARACAL_KEY_SECRET: 'k', CARACAL_EVENT_SECRET: 'e', CORS_ORIGINS: 'https://a.example' },
    });
    expect(startOptionsFrom(settings)).toEqual({
      port: 4000,
      host: '127.0.0.1',
      issuer: 'https://c.example',
      dataDir: '.caracal-data',
      databaseSchema: 'caracal',
      databasePoolSize: 20,
      keyEncryptionSecret: 'k',
      eventSigningSecret: 'e',
      corsOrigins: ['https://a.example'],
      agentsDir: '/srv/project/.agent-orchestrator/agents',
      logger: { level: 'warn' },
      jobSettings: { timelineRetentionMs: 30 * 24 * 3_600_000 },
      runs: { recoveryMode: 'stale', noMatchTimeoutSeconds: 300, heartbeatTimeoutSeconds: 60 },
    });
    expect(startOptionsFrom(resolveServerSettings({ env: { DATABASE_POOL_SIZE: '6' } })).databasePoolSize).toBe(6);
    expect(startOptionsFrom(resolveServerSettings({ env: { CARACAL_TIMELINE_RETENTION_DAYS: '2' } })).jobSettings).toEqual({ timelineRetentionMs: 2 * 24 * 3_600_000 });
  });
});

describe('parseSettingsFile', () => {
  it('accepts every field the server takes, an application\'s admin flag included', () => {
    const zones = [{ id: 'zone_dev', name: 'Dev', applications: [{ id: 'app_ops', secret: 's', scopes: [], admin: true }] }];
    expect(parseSettingsFile(JSON.stringify({ zones }), 'caracal.config.json').bootstrap).toEqual({ zones });
  });

  it('names the bad field', () => {
    const bad = (value: unknown): (() => unknown) => () => parseSettingsFile(JSON.stringify(value), 'c.json');
    expect(bad({ prot: 1 })).toThrow('c.json: prot is not a known setting');
    expect(bad({ zones: [{ id: 'z', applications: [{ id: 'a' }] }] })).toThrow('c.json: zones[0].applications[0].secret is required');
    expect(bad({ zones: [{ id: 'z', applications: [{ id: 'a', secret: 's', admin: 'yes' }] }] })).toThrow('c.json: zones[0].applications[0].admin must be boolean');
    expect(bad({ zones: [{ id: 'z', resources: [{ id: 'r', scopes: [] }] }] })).toThrow('c.json: zones[0].resources[0].id must be an absolute URI');
    expect(bad({ zones: 'z' })).toThrow('c.json: zones must be array');
    expect(bad([])).toThrow('c.json: must be a JSON object');
    expect(() => parseSettingsFile('{', 'c.json')).toThrow('c.json: not valid JSON');
    expect(() => resolveServerSettings({ file: parseSettingsFile('{"port":"x"}', 'c.json') })).toThrow('PORT (config file c.json: port) must be a whole number from 0 to 65535');
  });

  it('reports every problem of the file at once, each with its path', () => {
    const values = {
      prot: 1,
      port: 'x',
      zones: [
        { id: 'z', applications: [{ id: 'a' }, { id: 'b', secret: 's', admin: 'yes' }] },
        { id: 'y', resources: [{ id: 'r', scopes: [] }] },
      ],
    };
    let message = '';
    try {
      parseSettingsFile(JSON.stringify(values), 'c.json');
    } catch (error) {
      message = (error as Error).message;
    }
    const lines = message.split('\n');
    expect(lines[0]).toBe(`c.json: ${lines.length - 1} problems`);
    expect(lines.slice(1)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('prot is not a known setting'),
        '  PORT (config file c.json: port) must be a whole number from 0 to 65535',
        '  zones[0].applications[0].secret is required',
        '  zones[0].applications[1].admin must be boolean',
        expect.stringMatching(/^ {2}zones\[1\]\.resources\[0\]\.id must be an absolute URI/),
      ]),
    );
  });
});

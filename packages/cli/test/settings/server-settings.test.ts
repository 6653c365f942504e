import { describe, expect, it } from 'vitest';
import { parseServerConfig } from '../../src/settings/server-config-file.ts';
import { DEFAULT_DATA_DIR, resolveServerSettings } from '../../src/settings/server-settings.ts';

const BOOTSTRAP = {
  zones: [
    {
      id: 'zone_dev',
      applications: [{ id: 'app_orchestrator', secret: 's3cret', scopes: ['tools:call'] }],
      resources: [{ id: 'mcp://tools.local', scopes: ['tools:call'] }],
    },
  ],
};

describe('parseServerConfig', () => {
  it('reads the settings and the bootstrap zones of caracal.config.json', () => {
    const config = parseServerConfig(JSON.stringify({ port: 4100, admin_token: 'adm', database_url: 'postgres://db/x', ...BOOTSTRAP }), 'caracal.config.json');
    expect(config).toEqual({ port: 4100, adminToken: 'adm', databaseUrl: 'postgres://db/x', bootstrap: BOOTSTRAP });
  });

  it('accepts every field the server takes, an application\'s admin flag included', () => {
    const zones = [{ id: 'zone_dev', name: 'Dev', applications: [{ id: 'app_ops', secret: 's', scopes: [], admin: true }] }];
    expect(parseServerConfig(JSON.stringify({ zones }), 'caracal.config.json')).toEqual({ bootstrap: { zones } });
  });

  it('names the bad field', () => {
    const bad = (value: unknown): (() => unknown) => () => parseServerConfig(JSON.stringify(value), 'c.json');
    expect(bad({ prot: 1 })).toThrow('c.json: prot is not a known setting');
    expect(bad({ port: 'x' })).toThrow('c.json: port must be a whole number from 0 to 65535');
    expect(bad({ zones: [{ id: 'z', applications: [{ id: 'a' }] }] })).toThrow('c.json: zones[0].applications[0].secret is required');
    expect(bad({ zones: [{ id: 'z', applications: [{ id: 'a', secret: 's', admin: 'yes' }] }] })).toThrow('c.json: zones[0].applications[0].admin must be boolean');
    expect(bad({ zones: [{ id: 'z', resources: [{ id: 'mcp://r', scopes: 'a' }] }] })).toThrow('c.json: zones[0].resources[0].scopes must be array');
    expect(bad({ zones: [{ id: 'z', resources: [{ id: 'r', scopes: [] }] }] })).toThrow('c.json: zones[0].resources[0].id must be an absolute URI');
    expect(bad({ zones: 'z' })).toThrow('c.json: zones must be array');
    expect(bad({ zones: [{ id: 'z', app: [] }] })).toThrow('c.json: zones[0].app is not a known field');
    expect(() => parseServerConfig('{', 'c.json')).toThrow('c.json: not valid JSON');
  });

  it('reports every problem of the file at once, each with its path', () => {
    const file = {
      prot: 1,
      port: 'x',
      host: '',
      zones: [
        { id: 'z', applications: [{ id: 'a' }, { id: 'b', secret: 's', admin: 'yes' }] },
        { id: 'y', resources: [{ id: 'r', scopes: [] }] },
      ],
    };
    const failure = (() => {
      try {
        return parseServerConfig(JSON.stringify(file), 'c.json');
      } catch (error) {
        return error;
      }
    })() as { message: string; exitCode: number };
    expect(failure.exitCode).toBe(3);
    const lines = failure.message.split('\n');
    expect(lines[0]).toMatch(/^c\.json: \d+ problems$/);
    expect(lines.slice(1)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('prot is not a known setting'),
        '  port must be a whole number from 0 to 65535',
        '  host must be a non-empty string',
        '  zones[0].applications[0].secret is required',
        '  zones[0].applications[1].admin must be boolean',
        expect.stringMatching(/^ {2}zones\[1\]\.resources\[0\]\.id must be an absolute URI/),
      ]),
    );
    expect(Number(/(\d+) problems/.exec(lines[0]!)![1])).toBe(lines.length - 1);
  });
});

describe('resolveServerSettings', () => {
  it('uses the embedded defaults and generates an admin token', () => {
    const settings = resolveServerSettings({}, {}, {});
    expect(settings).toMatchObject({ port: 4000, host: '127.0.0.1', dataDir: DEFAULT_DATA_DIR, databaseUrl: undefined, redisUrl: undefined, adminTokenGenerated: true });
    expect(settings.adminToken).toMatch(/^[\w-]{32}$/);
  });

  it('prefers flags over environment over the config file', () => {
    const config = { port: 1, host: 'config-host', adminToken: 'config-token', redisUrl: 'redis://config' };
    const env = { PORT: '2', CARACAL_ADMIN_TOKEN: 'env-token', DATABASE_URL: 'postgres://env/db' };
    expect(resolveServerSettings({ port: 3 }, env, config)).toMatchObject({
      port: 3,
      host: 'config-host',
      adminToken: 'env-token',
      adminTokenGenerated: false,
      databaseUrl: 'postgres://env/db',
      dataDir: undefined,
      redisUrl: 'redis://config',
    });
    expect(resolveServerSettings({}, env, config).port).toBe(2);
  });

  it('refuses a malformed PORT', () => {
    expect(() => resolveServerSettings({}, { PORT: 'http' }, {})).toThrow('PORT must be a whole number from 0 to 65535, not http');
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { childProcessOptions } from '../support/child-process-options.ts';
import { assertBuiltCli, caracal as caracalCli, startServerCli } from './helpers/built-cli.ts';

beforeAll(() => {
  assertBuiltCli();
});

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

// Cheaper children (child-process-options.ts): the variable naming the run's migrated template is
// the only one added to each command's environment.
const cheaper = childProcessOptions(inject('embeddedTemplatePath'));

/** Starts `caracal server start …`, killed after the test if it still runs. */
const startCli = (args: string[], env: Record<string, string> = {}) =>
  startServerCli(args, { ...cheaper.env, ...env }, (child) => cleanups.push(() => child.kill('SIGKILL')), cheaper.execArgv);

/** Runs `caracal …` to its end. */
const caracal = (args: string[], env: Record<string, string> = {}) => caracalCli(args, { ...cheaper.env, ...env }, cheaper.execArgv);

// Starting a real server (PGlite in WASM, migrations, key generation) takes seconds on a busy machine.
describe('the built caracal binary: server start', { timeout: 120_000 }, () => {
  it('starts with --config (bootstrap + settings), serves the admin API, and stops on SIGTERM with exit 0', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'caracal-config-'));
    cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
    const config = join(folder, 'caracal.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        port: 0,
        admin_token: 'from-config',
        data_dir: join(folder, 'data'),
        zones: [{ id: 'zone_cfg', applications: [{ id: 'app_cfg', secret: 'cfg-secret', scopes: ['tools:call'] }], resources: [{ id: 'mcp://tools.cfg', scopes: ['tools:call'] }] }],
      }),
    );
    const { child, url, done } = await startCli(['--config', config]);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // The bootstrapped zone exists: an operator token can be minted for it with the config's admin token.
    const token = await caracal(['token', '--zone', 'zone_cfg', '--url', url], { CARACAL_ADMIN_TOKEN: 'from-config' });
    expect(token.code).toBe(0);
    expect(token.stdout).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+\n$/);
    child.kill('SIGTERM');
    const result = await done;
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('SIGTERM: stopping…\nstopped\n');
    expect(result.stderr).not.toContain('CARACAL_ADMIN_TOKEN=');
  });

  it('starts with an admin application declared in --config, and that application is admin', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'caracal-config-'));
    cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
    const config = join(folder, 'caracal.config.json');
    const zones = [{ id: 'zone_ops', applications: [{ id: 'app_ops', secret: 'ops-secret', admin: true }, { id: 'app_plain', secret: 'plain-secret' }] }];
    writeFileSync(config, JSON.stringify({ port: 0, admin_token: 'from-config', data_dir: 'memory://', zones }));
    const { child, url, done } = await startCli(['--config', config]);
    const listed = await fetch(`${url}/admin/zones/zone_ops/applications`, { headers: { authorization: 'Bearer from-config' } });
    expect(listed.status).toBe(200);
    const { items } = (await listed.json()) as { items: Array<{ id: string; admin: boolean }> };
    expect(items.map(({ id, admin }) => ({ id, admin }))).toEqual([
      { id: 'app_ops', admin: true },
      { id: 'app_plain', admin: false },
    ]);
    // Being admin is what lets an application ask for the admin scope; the plain one is refused it.
    const adminToken = async (clientId: string, secret: string): Promise<Response> =>
      fetch(`${url}/oauth/2/token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret, scope: 'caracal:admin' }),
      });
    expect((await adminToken('app_ops', 'ops-secret')).status).toBe(200);
    const refused = await adminToken('app_plain', 'plain-secret');
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: 'invalid_scope' });
    child.kill('SIGTERM');
    expect((await done).code).toBe(0);
  });

  it('lets flags override the environment, generates an admin token when none is set, and stops on SIGINT', async () => {
    const { child, url, done } = await startCli(['--port', '0', '--data-dir', 'memory://'], { PORT: '1' });
    const created = await caracal(['zone', 'create', 'zone_flag', '--url', url], { CARACAL_ADMIN_TOKEN: 'guess' });
    expect(created.code).toBe(1);
    child.kill('SIGINT');
    const result = await done;
    expect(result.code).toBe(0);
    const generated = /export CARACAL_ADMIN_TOKEN=(\S+)/.exec(result.stderr);
    expect(generated?.[1]).toMatch(/^[\w-]{32}$/);
    expect(result.stderr).toContain(`export CARACAL_COORDINATOR_URL=${url}\n`);
    expect(result.stderr).toContain('database: embedded PGlite in memory');
  });

  it('refuses a bad config file with exit 3 and a bad flag with exit 2', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'caracal-config-'));
    cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
    const config = join(folder, 'caracal.config.json');
    writeFileSync(config, JSON.stringify({ zones: [{ id: 'zone_x', applications: [{ id: 'app_x' }] }] }));
    const badConfig = await caracal(['server', 'start', '--config', config]);
    expect(badConfig).toMatchObject({ code: 3, stdout: '', stderr: `${config}: zones[0].applications[0].secret is required\n` });
    const badPort = await caracal(['server', 'start', '--port', 'eighty']);
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toContain("error: option '--port <port>' argument 'eighty' is invalid.");
  });

  it('refuses a bootstrap the server cannot apply with exit 3 and the path of the field', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'caracal-config-'));
    cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
    const config = join(folder, 'caracal.config.json');
    const app = { id: 'app_twice', secret: 's', scopes: [] };
    writeFileSync(config, JSON.stringify({ port: 0, admin_token: 'from-config', data_dir: 'memory://', zones: [{ id: 'zone_a', applications: [app] }, { id: 'zone_b', applications: [app] }] }));
    const refused = await caracal(['server', 'start', '--config', config]);
    expect(refused).toMatchObject({ code: 3, stdout: '' });
    expect(refused.stderr).toContain('bootstrap: zones[1].applications[0].id: application app_twice is already declared at zones[0].applications[0].id');
  });
});

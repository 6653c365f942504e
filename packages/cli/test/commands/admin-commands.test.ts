import { describe, expect } from 'vitest';
import { coordinatorTest } from '../helpers/coordinator-fixture.ts';
import { runAgainst } from '../helpers/run-against.ts';


describe('caracal zone | app | resource create', () => {
  coordinatorTest('creates a zone with the admin token', async ({ coordinator }) => {
    const result = await runAgainst(coordinator, ['zone', 'create', 'zone_new']);
    expect(result).toMatchObject({ code: 0, stdout: 'created zone zone_new\n' });
    expect(coordinator.requests.at(-1)).toMatchObject({ method: 'POST', path: '/admin/zones', authorization: 'Bearer admin-secret', body: { id: 'zone_new' } });
  });

  coordinatorTest('creates an application and prints its secret once, with a reminder on stderr', async ({ coordinator }) => {
    const result = await runAgainst(coordinator, ['app', 'create', 'zone_test', 'app_new', '--scopes', 'tools:call,files:read']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('client_id      app_new\nclient_secret  shown-once-secret\nzone_id        zone_test\n');
    expect(result.stderr).toBe('The client secret is shown only once: store it now.\n');
    expect(coordinator.requests.at(-1)).toMatchObject({ path: '/admin/zones/zone_test/applications', body: { id: 'app_new', scopes: ['tools:call', 'files:read'] } });
  });

  coordinatorTest('creates a resource with its scopes; --scopes is required', async ({ coordinator }) => {
    const result = await runAgainst(coordinator, ['resource', 'create', 'zone_test', 'mcp://tools.test', '--scopes', 'tools:call']);
    expect(result).toMatchObject({ code: 0, stdout: 'created resource mcp://tools.test in zone zone_test (scopes: tools:call)\n' });
    expect(coordinator.requests.at(-1)).toMatchObject({ path: '/admin/zones/zone_test/resources', body: { id: 'mcp://tools.test', scopes: ['tools:call'] } });
    const missing = await runAgainst(coordinator, ['resource', 'create', 'zone_test', 'mcp://tools.test']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("error: required option '--scopes <scopes>' not specified");
  });

  coordinatorTest('prints the JSON answer with --json and honours --url over the environment', async ({ coordinator }) => {
    const result = await runAgainst(coordinator, ['zone', 'create', 'zone_new', '--json', '--url', coordinator.url], {
      env: { CARACAL_COORDINATOR_URL: 'http://127.0.0.1:1' },
    });
    expect(JSON.parse(result.stdout)).toMatchObject({ id: 'zone_new' });
  });

  coordinatorTest('names the missing admin settings', async ({ coordinator }) => {
    const result = await runAgainst(coordinator, ['zone', 'create', 'zone_new'], { env: { CARACAL_ADMIN_TOKEN: undefined, CARACAL_COORDINATOR_URL: undefined } });
    expect(result.code).toBe(3);
    expect(result.stderr).toBe('coordinator URL not set — export CARACAL_COORDINATOR_URL or pass --url\nadmin token not set — export CARACAL_ADMIN_TOKEN\n');
  });
});

describe('caracal token', () => {
  coordinatorTest('prints only the token, for $(caracal token --zone z)', async ({ coordinator }) => {
    const result = await runAgainst(coordinator, ['token', '--zone', 'zone_test', '--ttl', '600']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^eyJ[\w-]+\.[\w-]+\.sig\n$/);
    expect(coordinator.requests.at(-1)).toMatchObject({ path: '/admin/zones/zone_test/operator-token', body: { ttl_seconds: 600 } });
  });

  coordinatorTest('falls back to CARACAL_ZONE_ID and refuses without a zone', async ({ coordinator }) => {
    const fromEnv = await runAgainst(coordinator, ['token']);
    expect(fromEnv.code).toBe(0);
    const none = await runAgainst(coordinator, ['token'], { env: { CARACAL_ZONE_ID: undefined } });
    expect(none).toMatchObject({ code: 3, stderr: 'zone not set — pass --zone <id> or export CARACAL_ZONE_ID\n' });
  });

  coordinatorTest('rejects a malformed --ttl as a usage error', async ({ coordinator }) => {
    const result = await runAgainst(coordinator, ['token', '--zone', 'zone_test', '--ttl', 'soon']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("error: option '--ttl <seconds>' argument 'soon' is invalid. expected a positive whole number of seconds");
  });
});

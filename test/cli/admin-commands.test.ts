import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuiltCli, caracal, shell } from './helpers/built-cli.ts';
import { startRealServer, ZONE, type RealServer } from './helpers/real-server.ts';

let server: RealServer;
let adminEnv: Record<string, string>;
beforeAll(async () => {
  assertBuiltCli();
  server = await startRealServer();
  adminEnv = { CARACAL_COORDINATOR_URL: server.url, CARACAL_ADMIN_TOKEN: server.adminToken };
});
afterAll(async () => {
  await server?.close();
});

describe('the built caracal binary: bootstrap commands against the real server', () => {
  it('creates a zone, an application (secret shown once) and a resource', async () => {
    const zone = await caracal(['zone', 'create', 'zone_made'], adminEnv);
    expect(zone).toMatchObject({ code: 0, stdout: 'created zone zone_made\n', stderr: '' });
    const app = await caracal(['app', 'create', 'zone_made', 'app_made', '--scopes', 'tools:call,files:read'], adminEnv);
    expect(app.code).toBe(0);
    expect(app.stdout).toMatch(/^client_id {6}app_made\nclient_secret {2}\S{20,}\nzone_id {8}zone_made\n$/);
    expect(app.stderr).toBe('The client secret is shown only once: store it now.\n');
    const resource = await caracal(['resource', 'create', 'zone_made', 'mcp://tools.made', '--scopes', 'tools:call', '--json'], adminEnv);
    expect(resource.code).toBe(0);
    expect(JSON.parse(resource.stdout)).toMatchObject({ zone_id: 'zone_made', scopes: ['tools:call'] });
  });

  it("reports the server's refusal with its code, description and request id, exit 1", async () => {
    const again = await caracal(['zone', 'create', ZONE], adminEnv);
    expect(again.code).toBe(1);
    expect(again.stdout).toBe('');
    expect(again.stderr).toMatch(new RegExp(`^conflict: zone ${ZONE} already exists\\n  HTTP 409, request id req_\\w+\\n$`));
    const wrongToken = await caracal(['zone', 'create', 'zone_other'], { ...adminEnv, CARACAL_ADMIN_TOKEN: 'not-the-token' });
    expect(wrongToken.code).toBe(1);
    expect(wrongToken.stderr).toMatch(/HTTP 401, request id req_\w+\n$/);
  });

  it('mints an operator token usable as export CARACAL_COORDINATOR_TOKEN=$(caracal token --zone z)', async () => {
    const result = await shell(
      `export CARACAL_COORDINATOR_TOKEN=$(caracal token --zone ${ZONE} --ttl 600)\n` +
        `node -e 'const [, p] = process.env.CARACAL_COORDINATOR_TOKEN.split("."); const c = JSON.parse(Buffer.from(p, "base64url")); console.log(c.zone_id, c.scope, c.exp - c.iat)'`,
      adminEnv,
    );
    expect(result).toMatchObject({ code: 0, stdout: `${ZONE} agent:lifecycle caracal:admin 600\n`, stderr: '' });
  });

  it('names the missing admin settings, exit 3', async () => {
    const result = await caracal(['token', '--zone', ZONE]);
    expect(result).toMatchObject({
      code: 3,
      stdout: '',
      stderr: 'coordinator URL not set — export CARACAL_COORDINATOR_URL or pass --url\nadmin token not set — export CARACAL_ADMIN_TOKEN\n',
    });
  });
});

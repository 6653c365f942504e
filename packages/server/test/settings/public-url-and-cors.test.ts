import { decodeJwt } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveServerSettings } from '../../src/settings/server-settings.ts';
import { startOptionsFrom } from '../../src/settings/start-options.ts';
import { startServer, type RunningServer } from '../../src/start-server.ts';
import { TEST_SECRETS } from '../helpers/backends.ts';

const ZONE = 'zone_settings';
const BOOTSTRAP = { zones: [{ id: ZONE, applications: [{ id: 'app_settings', secret: 'settings-secret', scopes: ['tools:call'] }] }] };

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A server started the way main.ts and the CLI start one: settings from the reader, then startServer. */
async function startFromEnvironment(env: Record<string, string>): Promise<RunningServer> {
  const options = startOptionsFrom(resolveServerSettings({ env: { PORT: '0', CARACAL_DATA_DIR: 'memory://', ...env } }));
  server = await startServer({ ...options, ...TEST_SECRETS, logger: false, jobs: false, bootstrap: BOOTSTRAP });
  return server;
}

async function sessionMandateIssuer(url: string): Promise<unknown> {
  const response = await fetch(`${url}/oauth/2/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'app_settings', client_secret: 'settings-secret' }),
  });
  expect(response.status).toBe(200);
  return decodeJwt(((await response.json()) as { access_token: string }).access_token).iss;
}

describe('the issuer of a server bound to every interface', () => {
  it('is the loopback URL, not http://0.0.0.0:<port>, and the start says so', async () => {
    const running = await startFromEnvironment({ HOST: '0.0.0.0' });
    const loopback = `http://127.0.0.1:${running.port}`;
    expect(running.url).toBe(loopback);
    expect(running.issuer).toBe(loopback);
    const metadata = (await (await fetch(`${loopback}/.well-known/oauth-authorization-server`)).json()) as { issuer: string };
    expect(metadata.issuer).toBe(loopback);
    expect(await sessionMandateIssuer(loopback)).toBe(loopback);
    expect(running.notices).toContainEqual(expect.stringMatching(/^host 0\.0\.0\.0 listens on every interface, .* set CARACAL_PUBLIC_URL \(--public-url\)/));
  });

  it('is the public URL when one is set, with no notice', async () => {
    const running = await startFromEnvironment({ HOST: '0.0.0.0', CARACAL_PUBLIC_URL: 'https://caracal.example/' });
    expect(running.issuer).toBe('https://caracal.example');
    expect(await sessionMandateIssuer(running.url)).toBe('https://caracal.example');
    expect(running.notices.some((notice) => notice.includes('every interface'))).toBe(false);
  });
});

/** A real CORS preflight, as a browser sends it before a cross-origin POST with a bearer. */
async function preflight(url: string, origin: string): Promise<Response> {
  return fetch(`${url}/oauth/2/token`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
  });
}

describe('CORS_ORIGINS, through the settings reader, on a listening server', () => {
  it('answers the preflight of a listed origin and gives a stranger no CORS headers', async () => {
    const running = await startFromEnvironment({ CORS_ORIGINS: 'https://dashboard.example, http://localhost:5173' });
    for (const origin of ['https://dashboard.example', 'http://localhost:5173']) {
      const allowed = await preflight(running.url, origin);
      expect(allowed.status).toBe(204);
      expect(allowed.headers.get('access-control-allow-origin')).toBe(origin);
      expect(allowed.headers.get('access-control-allow-methods')).toContain('POST');
      expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    }
    const refused = await preflight(running.url, 'https://evil.example');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    // The real request from a listed origin carries the header too, so the browser hands the answer to the page.
    const health = await fetch(`${running.url}/health`, { headers: { origin: 'https://dashboard.example' } });
    expect(health.headers.get('access-control-allow-origin')).toBe('https://dashboard.example');
  });

  it('allows every origin by default', async () => {
    const running = await startFromEnvironment({});
    const answer = await preflight(running.url, 'https://anywhere.example');
    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
  });
});

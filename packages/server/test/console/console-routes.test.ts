import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConsoleAssets } from '../../src/console/console-assets.ts';
import { CONSOLE_CSP } from '../../src/console/console-headers.ts';
import { consoleRoutes } from '../../src/console/console-routes.ts';
import { installErrorHandler } from '../../src/http/error-handler.ts';

const SCRIPT = `console.log(${JSON.stringify('x'.repeat(2000))});`;

/** A built console as Vite lays it out: the page and hashed assets. */
function builtConsole(): string {
  const dir = mkdtempSync(join(tmpdir(), 'caracal-console-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="/console/assets/index-AbC123.js"></script>');
  writeFileSync(join(dir, 'assets', 'index-AbC123.js'), SCRIPT);
  writeFileSync(join(dir, 'assets', 'index-Def456.css'), 'body{margin:0}');
  // A file next to the console that must never be reachable through it.
  writeFileSync(join(dir, 'secret.txt'), 'not for the web');
  return dir;
}

async function appServing(dir: string | undefined): Promise<FastifyInstance> {
  const app = Fastify();
  installErrorHandler(app);
  await app.register(consoleRoutes, { assets: loadConsoleAssets(dir) });
  return app;
}

describe('/console static route', () => {
  let dir: string;
  let app: FastifyInstance;
  beforeAll(async () => {
    dir = builtConsole();
    app = await appServing(dir);
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('redirects /console to /console/', async () => {
    const response = await app.inject({ url: '/console' });
    expect(response.statusCode).toBe(301);
    expect(response.headers.location).toBe('/console/');
  });

  it('serves the page with the CSP and the security headers, revalidated on every load', async () => {
    const response = await app.inject({ url: '/console/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['content-security-policy']).toBe(CONSOLE_CSP);
    expect(CONSOLE_CSP).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    );
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.body).toContain('/console/assets/index-AbC123.js');
  });

  it('serves hashed assets for a year (immutable), gzip when the browser takes it', async () => {
    const plain = await app.inject({ url: '/console/assets/index-AbC123.js' });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['x-content-type-options']).toBe('nosniff');
    expect(plain.body).toBe(SCRIPT);
    const zipped = await app.inject({ url: '/console/assets/index-AbC123.js', headers: { 'accept-encoding': 'gzip, br' } });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toBe('accept-encoding');
    expect(gunzipSync(zipped.rawPayload).toString()).toBe(SCRIPT);
    expect(zipped.rawPayload.length).toBeLessThan(SCRIPT.length / 4);
    const css = await app.inject({ url: '/console/assets/index-Def456.css' });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('answers an unknown asset, and every path traversal, with a 404 JSON error', async () => {
    const attempts = [
      '/console/assets/missing-000000.js',
      '/console/assets/..%2Fsecret.txt',
      '/console/assets/..%2F..%2Findex.html',
      '/console/assets/%2e%2e%2fsecret.txt',
      '/console/assets/../secret.txt',
      '/console/secret.txt',
      '/console/assets/%5C..%5Csecret.txt',
      '/console/assets/__proto__',
      '/console/assets/constructor',
    ];
    for (const url of attempts) {
      const response = await app.inject({ url });
      expect([404], url).toContain(response.statusCode);
      expect(response.json(), url).toMatchObject({ error: 'not_found' });
      expect(response.body).not.toContain('not for the web');
    }
  });

  it('answers HEAD like GET, without a body', async () => {
    const response = await app.inject({ method: 'HEAD', url: '/console/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-security-policy']).toBe(CONSOLE_CSP);
    expect(response.body).toBe('');
  });

  it('says how to build the console when it was not built', async () => {
    const unbuilt = await appServing(undefined);
    const response = await unbuilt.inject({ url: '/console/' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ error: 'not_found', error_description: expect.stringContaining('pnpm run build') });
    await unbuilt.close();
  });
});

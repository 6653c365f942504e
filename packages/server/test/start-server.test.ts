import { describe, expect } from 'vitest';
import { serverContextOf } from '../src/testing.ts';
import { testBackends } from './helpers/backends.ts';
import { serverTest } from './helpers/fixtures.ts';

describe.each(testBackends())('startServer on $name', (backend) => {
  serverTest.override('backend', backend);

  serverTest('listens on a free port and reports health and readiness', async ({ startServer }) => {
    const server = await startServer();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${server.url}/health`);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${server.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', database: 'ok', bus: 'ok' });
    // The internals stay off the public result; tests reach them through the testing entry.
    expect(Object.keys(server).sort()).toEqual(['close', 'issuer', 'notices', 'port', 'url']);
    const { rows } = await serverContextOf(server).database.query<{ one: number }>('SELECT 1 AS one');
    expect(rows).toEqual([{ one: 1 }]);
    expect(() => serverContextOf({})).toThrow(TypeError);
  });

  serverTest('answers unknown routes with the error shape', async ({ startServer }) => {
    const server = await startServer({}, false);
    const response = await fetch(`${server.url}/nope`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'not_found', error_description: 'no route for GET /nope' });
  });
});

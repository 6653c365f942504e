import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Caracal } from '../../src/index.ts';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

/** Another service on port 0: not Caracal, whatever it answers. */
async function otherService(listener: RequestListener): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function spawnAgainst(url: string): Promise<unknown> {
  const caracal = new Caracal({ coordinatorUrl: url, zoneId: 'zone_dev', clientId: 'app_orchestrator', clientSecret: 'secret', retry: { retries: 0 } });
  try {
    return await caracal.spawn({ kind: 'ephemeral' }, () => undefined).catch((error: unknown) => error);
  } finally {
    await caracal.close();
  }
}

describe('coordinatorUrl pointed at a service that is not Caracal', () => {
  it('says the URL does not look like a Caracal server when it answers 404 with HTML', async () => {
    const url = await otherService((_request, response) => response.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>'));
    const failure = await spawnAgainst(url);
    expect(failure).toMatchObject({ code: 'NOT_FOUND', status: 404, serverCode: undefined });
    expect((failure as Error).message).toContain(`with a text/html body, not a Caracal error: ${url}/oauth/2/token does not look like a Caracal server; check coordinatorUrl`);
    expect((failure as Error).message).not.toMatch(/clientSecret/);
  });

  it('says so for a 401 without a Caracal error body too: credentials are not the cause', async () => {
    const url = await otherService((_request, response) => response.writeHead(401).end());
    const failure = await spawnAgainst(url);
    expect(failure).toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
    expect((failure as Error).message).toContain('with an empty body, not a Caracal error');
  });

  it('says so when a catch-all page answers 200 with HTML', async () => {
    const url = await otherService((_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>'));
    const failure = await spawnAgainst(url);
    expect(failure).toMatchObject({ code: 'INVALID_RESPONSE' });
    expect((failure as Error).message).toContain('does not look like a Caracal server');
  });

  it('keeps a Caracal refusal as it is: code and description, no hint', async () => {
    const url = await otherService((_request, response) =>
      response.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_client', error_description: 'unknown client or wrong secret' })),
    );
    const failure = await spawnAgainst(url);
    expect(failure).toMatchObject({ code: 'UNAUTHORIZED', serverCode: 'invalid_client' });
    expect((failure as Error).message).toBe('POST /oauth/2/token failed with HTTP 401 (invalid_client): unknown client or wrong secret');
  });
});

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { followSse, type FeedStatus } from '../src/live/follow-sse.ts';

interface Seen {
  authorization: string | undefined;
  lastEventId: string | undefined;
  url: string | undefined;
}

/** A real SSE server on port 0 whose answer to each connection the test scripts. */
async function sseServer(handlers: Array<(request: IncomingMessage, response: ServerResponse) => void>) {
  const seen: Seen[] = [];
  const server = createServer((request, response) => {
    seen.push({ authorization: request.headers.authorization, lastEventId: request.headers['last-event-id'] as string | undefined, url: request.url });
    const handler = handlers[seen.length - 1];
    if (handler === undefined) {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      return;
    }
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen, close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

function waitFor(check: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    let rounds = 0;
    const tick = () => {
      if (check()) return resolve();
      if ((rounds += 1) > 2000) return reject(new Error('condition not met'));
      setImmediate(tick);
    };
    tick();
  });
}

describe('followSse', () => {
  it('sends the mandate as a header, reports Live, and resumes with Last-Event-ID after a drop', async () => {
    const server = await sseServer([
      (_request, response) => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.end('id: c1\nevent: ready\ndata: {}\n\nid: c2\ndata: {"n":1}\n\n');
      },
      (_request, response) => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write('id: c3\ndata: {"n":2}\n\n');
      },
    ]);
    closers.push(server.close);
    const controller = new AbortController();
    closers.push(async () => controller.abort());
    const statuses: FeedStatus[] = [];
    const messages: string[] = [];
    const waits: number[] = [];
    void followSse({
      url: `${server.url}/zones/zone_a/events`,
      token: () => 'the.mandate',
      signal: controller.signal,
      onStatus: (status) => statuses.push(status),
      onMessage: (message) => messages.push(`${message.id}:${message.event ?? ''}:${message.data}`),
      wait: async (ms) => void waits.push(ms),
    });
    await waitFor(() => messages.length === 3);
    expect(messages).toEqual(['c1:ready:{}', 'c2::{"n":1}', 'c3::{"n":2}']);
    expect(statuses).toEqual(['connecting', 'live', 'reconnecting', 'live']);
    expect(server.seen.map((seen) => seen.authorization)).toEqual(['Bearer the.mandate', 'Bearer the.mandate']);
    expect(server.seen.map((seen) => seen.lastEventId)).toEqual([undefined, 'c2']);
    expect(server.seen.every((seen) => !seen.url!.includes('token'))).toBe(true);
    expect(waits).toHaveLength(1);
  });

  it('stops and reports a refused mandate (401) without retrying', async () => {
    const server = await sseServer([
      (_request, response) => {
        response.writeHead(401, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: 'invalid_token', error_description: 'the mandate expired' }));
      },
    ]);
    closers.push(server.close);
    const statuses: Array<[FeedStatus, string | undefined]> = [];
    await followSse({
      url: `${server.url}/sse/sessions`,
      token: () => 'old',
      signal: new AbortController().signal,
      onStatus: (status, detail) => statuses.push([status, detail]),
      onMessage: () => undefined,
    });
    expect(statuses).toEqual([
      ['connecting', undefined],
      ['unauthorized', 'the mandate expired'],
    ]);
    expect(server.seen).toHaveLength(1);
  });

  it('drops a cursor the server no longer takes (400) and starts over', async () => {
    const server = await sseServer([
      (_request, response) => {
        response.writeHead(400, { 'content-type': 'application/json' });
        response.end('{"error":"invalid_request","error_description":"bad cursor"}');
      },
      (_request, response) => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write('id: fresh\ndata: {}\n\n');
      },
    ]);
    closers.push(server.close);
    const controller = new AbortController();
    closers.push(async () => controller.abort());
    const ids: string[] = [];
    void followSse({
      url: `${server.url}/sse/sessions`,
      token: () => 't',
      lastEventId: 'stale',
      signal: controller.signal,
      onStatus: () => undefined,
      onMessage: (message) => ids.push(message.id ?? ''),
    });
    await waitFor(() => ids.length === 1);
    expect(server.seen.map((seen) => seen.lastEventId)).toEqual(['stale', undefined]);
  });
});

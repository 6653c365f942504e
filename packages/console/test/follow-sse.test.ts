import { afterEach, describe, expect, it } from 'vitest';
import { followSse, type FeedStatus, type FollowSseOptions } from '../src/live/follow-sse.ts';
import { sseServer, streamAnswer } from './sse-server.ts';
import { waitFor } from './wait-for.ts';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** Starts the scripted server, closed when the test ends. */
async function scriptedServer(...handlers: Parameters<typeof sseServer>[0]) {
  const server = await sseServer(handlers);
  closers.push(server.close);
  return server;
}

/** Follows a feed in the background until the test ends. */
function followUntilTestEnds(options: Omit<FollowSseOptions, 'signal'>): void {
  const controller = new AbortController();
  closers.push(async () => controller.abort());
  void followSse({ ...options, signal: controller.signal });
}

describe('followSse', () => {
  it('sends the mandate as a header, reports Live, and resumes with Last-Event-ID after a drop', async () => {
    const server = await scriptedServer(
      streamAnswer('id: c1\nevent: ready\ndata: {}\n\nid: c2\ndata: {"n":1}\n\n', { end: true }),
      streamAnswer('id: c3\ndata: {"n":2}\n\n'),
    );
    const statuses: FeedStatus[] = [];
    const messages: string[] = [];
    const waits: number[] = [];
    followUntilTestEnds({
      url: `${server.url}/zones/zone_a/events`,
      token: () => 'the.mandate',
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
    const server = await scriptedServer((_request, response) => {
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: 'invalid_token', error_description: 'the mandate expired' }));
    });
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
    const server = await scriptedServer(
      (_request, response) => {
        response.writeHead(400, { 'content-type': 'application/json' });
        response.end('{"error":"invalid_request","error_description":"bad cursor"}');
      },
      streamAnswer('id: fresh\ndata: {}\n\n'),
    );
    const ids: string[] = [];
    followUntilTestEnds({
      url: `${server.url}/sse/sessions`,
      token: () => 't',
      lastEventId: 'stale',
      onStatus: () => undefined,
      onMessage: (message) => ids.push(message.id ?? ''),
    });
    await waitFor(() => ids.length === 1);
    expect(server.seen.map((seen) => seen.lastEventId)).toEqual(['stale', undefined]);
  });
});

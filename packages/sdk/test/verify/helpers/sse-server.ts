import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A real port-0 server that speaks the Coordinator's SSE feed shape, driven by the test. */
export interface SseServer {
  readonly url: string;
  /** Headers of every connection attempt, in order. */
  readonly connections: IncomingHttpHeaders[];
  /** Paths (with query) of every connection attempt. */
  readonly paths: string[];
  /** What the next connection attempts answer with (default 200 and a stream). */
  nextStatuses: number[];
  /** Sends one event to every open stream. */
  send(event: { id?: string; event?: string; data: unknown }): void;
  /** Writes raw text to every open stream. */
  writeRaw(text: string): void;
  /** Ends every open stream (the client should reconnect). */
  dropConnections(): void;
  /** Resolves once `count` connection attempts have been made in total. */
  connected(count: number): Promise<void>;
  close(): Promise<void>;
}

export async function startSseServer(): Promise<SseServer> {
  const open = new Set<ServerResponse>();
  const connections: IncomingHttpHeaders[] = [];
  const paths: string[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const state = { nextStatuses: [] as number[] };
  const server = createServer((request, response) => {
    connections.push(request.headers);
    paths.push(request.url ?? '');
    for (const waiter of waiters.filter((candidate) => connections.length >= candidate.count)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    const status = state.nextStatuses.shift() ?? 200;
    if (status !== 200) {
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'refused', error_description: 'test' }));
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    response.write(': connected\n\n');
    open.add(response);
    response.on('close', () => open.delete(response));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections,
    paths,
    get nextStatuses() {
      return state.nextStatuses;
    },
    set nextStatuses(statuses) {
      state.nextStatuses = statuses;
    },
    send({ id, event, data }) {
      const lines = [id === undefined ? '' : `id: ${id}\n`, event === undefined ? '' : `event: ${event}\n`, `data: ${JSON.stringify(data)}\n\n`].join('');
      for (const response of open) response.write(lines);
    },
    writeRaw(text) {
      for (const response of open) response.write(text);
    },
    dropConnections() {
      for (const response of open) response.end();
    },
    connected(count) {
      if (connections.length >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

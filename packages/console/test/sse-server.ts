import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

interface Seen {
  authorization: string | undefined;
  lastEventId: string | undefined;
  url: string | undefined;
}

/** A real SSE server on port 0 whose answer to each connection the test scripts; past the script, an open stream that says nothing. */
export async function sseServer(handlers: Handler[]) {
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
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return { url: `http://127.0.0.1:${port}`, seen, close };
}

/** A connection answered 200 with `text` on the stream; left open unless `end`. */
export function streamAnswer(text: string, { end = false }: { end?: boolean } = {}): Handler {
  return (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    if (end) response.end(text);
    else response.write(text);
  };
}

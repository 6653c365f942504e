import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the target server received. */
export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** True once the client went away before a response was written. */
  aborted: boolean;
}

/** Writes the response to the `index`-th request (0-based); leave it unanswered to make it hang. */
export type Responder = (request: RecordedRequest, response: ServerResponse, index: number) => void;

export interface RecordingServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  respond: Responder;
  close(): Promise<void>;
}

/** A target server on port 0 that records every request (headers and body) before answering. */
export async function startRecordingServer(respond?: Responder): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const state: RecordingServer = {
    url: '',
    requests,
    respond: respond ?? ((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{}')),
    close: async () => undefined,
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const recorded: RecordedRequest = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        aborted: false,
      };
      response.on('close', () => {
        if (!response.writableEnded) recorded.aborted = true;
      });
      const index = requests.push(recorded) - 1;
      state.respond(recorded, response, index);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

/** A JSON response. */
export function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

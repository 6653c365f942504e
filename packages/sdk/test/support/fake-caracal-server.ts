import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the fake server received it. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly text: string;
  /** The JSON body, when there was one. */
  readonly json: Record<string, unknown> | undefined;
  /** The form body, when there was one. */
  readonly form: Record<string, string> | undefined;
}

/** Answers a request; may end the socket instead of responding. */
export type Handler = (request: RecordedRequest, response: ServerResponse, raw: IncomingMessage) => void | Promise<void>;

export interface FakeCaracalServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Replaces the handler for `METHOD /path` (`*` matches one path segment). */
  route(pattern: string, handler: Handler): void;
  /** Requests whose `METHOD /path` matches `pattern`. */
  requestsTo(pattern: string): RecordedRequest[];
  close(): Promise<void>;
}

/** Writes a JSON response. */
export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

function matcher(pattern: string): RegExp {
  const [method, path] = pattern.split(' ') as [string, string];
  const source = path.split('/').map((segment) => (segment === '*' ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/');
  return new RegExp(`^${method} ${source}$`);
}

async function record(raw: IncomingMessage): Promise<RecordedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of raw) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const type = raw.headers['content-type'] ?? '';
  const url = new URL(raw.url ?? '/', 'http://fake');
  return {
    method: raw.method ?? 'GET',
    path: url.pathname,
    headers: raw.headers,
    text,
    json: type.includes('json') && text !== '' ? (JSON.parse(text) as Record<string, unknown>) : undefined,
    form: type.includes('x-www-form-urlencoded') ? Object.fromEntries(new URLSearchParams(text)) : undefined,
  };
}

let sessionCounter = 0;

/** The default Coordinator/STS behaviour: every call succeeds with fresh ids. */
function defaultRoutes(): Array<[RegExp, Handler]> {
  return [
    [matcher('POST /oauth/2/token'), (request, response) => {
      const grant = request.form?.grant_type;
      const token = grant === 'client_credentials' ? `session-mandate-${++sessionCounter}` : `per-call-${++sessionCounter}`;
      sendJson(response, 200, { access_token: token, token_type: 'Bearer', expires_in: 900, scope: 'agent:lifecycle' });
    }],
    [matcher('POST /zones/*/agents'), (request, response) => {
      const id = `agentsess_${String(++sessionCounter).padStart(26, '0')}`;
      const inherited = (request.json?.grant as { mode?: string } | undefined)?.mode !== 'none' && request.json?.parent_id !== undefined;
      sendJson(response, 201, { agent_session_id: id, status: 'active', delegation_edge_id: inherited ? `deledge_inh_${sessionCounter}` : null });
    }],
    [matcher('DELETE /zones/*/agents/*'), (_request, response) => sendJson(response, 200, { terminated_sessions: 1, revoked_edges: 0 })],
    [matcher('POST /sessions/*/events'), (request, response) => {
      const events = Array.isArray(request.json) ? (request.json as unknown[]) : [request.json];
      sendJson(response, 201, { ok: true, events: events.map((event, index) => ({ ...(event as object), id: ++sessionCounter + index })) });
    }],
    [matcher('POST /zones/*/delegations'), (_request, response) => sendJson(response, 201, { delegation_edge_id: `deledge_${++sessionCounter}`, status: 'active' })],
  ];
}

/** Starts a real node:http server on port 0 that plays Coordinator and STS. */
export async function startFakeCaracalServer(): Promise<FakeCaracalServer> {
  const requests: RecordedRequest[] = [];
  const overrides: Array<[RegExp, Handler]> = [];
  const defaults = defaultRoutes();
  const server = createServer((raw, response) => {
    void (async () => {
      const request = await record(raw);
      requests.push(request);
      const key = `${request.method} ${request.path}`;
      const handler = [...overrides, ...defaults].find(([pattern]) => pattern.test(key))?.[1];
      if (handler === undefined) return sendJson(response, 404, { error: 'not_found', error_description: key });
      await handler(request, response, raw);
    })().catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { error: 'test_server_error', error_description: String(error) });
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    route(pattern, handler) {
      overrides.unshift([matcher(pattern), handler]);
    },
    requestsTo(pattern) {
      const regex = matcher(pattern);
      return requests.filter((request) => regex.test(`${request.method} ${request.path}`));
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

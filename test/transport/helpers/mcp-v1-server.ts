import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { MCP_ACTING_METHODS } from '@caracal/sdk/verify';
import type { MandateCheck } from './caracal-server.ts';

/** What the MCP server saw of one HTTP request. */
export interface SeenRequest {
  readonly method: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
}

/** What the `whoami` tool saw of one call. */
export interface SeenToolCall {
  readonly authorization: string | undefined;
  readonly meta: Record<string, unknown> | undefined;
}

export interface McpTestServer {
  readonly url: string;
  readonly requests: SeenRequest[];
  readonly toolCalls: SeenToolCall[];
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}

/** What `verifyNodeMiddleware({ mcp: true })` decides, for a server that checks mandates itself. */
function acts(method: string, body: unknown): boolean {
  if (method === 'GET' || method === 'DELETE') return false;
  const messages: unknown[] = Array.isArray(body) ? body : [body];
  return messages.some((message) => MCP_ACTING_METHODS.includes(String((message as { method?: unknown } | undefined)?.method)));
}

function newMcpServer(toolCalls: SeenToolCall[]): McpServer {
  const mcp = new McpServer({ name: 'e2e-tools', version: '1.0.0' });
  mcp.registerTool('whoami', { description: 'Reports what the server saw of the call.' }, async (extra) => {
    const header = extra.requestInfo?.headers.authorization;
    toolCalls.push({ authorization: Array.isArray(header) ? header[0] : header, meta: extra._meta as Record<string, unknown> | undefined });
    return { content: [{ type: 'text', text: `call ${toolCalls.length}` }] };
  });
  return mcp;
}

/**
 * A real MCP v1 server (McpServer + StreamableHTTPServerTransport, stateful sessions) on
 * node:http, port 0, protected like a Caracal resource server: every request needs a bearer
 * mandate whose audience is `resource`, or it gets 401 before reaching MCP.
 */
export async function startMcpV1Server(options: { verify: MandateCheck; resource: string }): Promise<McpTestServer> {
  const requests: SeenRequest[] = [];
  const toolCalls: SeenToolCall[] = [];
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const server = createServer((request, response) => {
    void (async () => {
      const body = request.method === 'POST' ? await readBody(request) : undefined;
      requests.push({ method: request.method ?? '', headers: request.headers, body });
      const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      const verified = token === undefined ? undefined : await options.verify(token, options.resource, acts(request.method ?? '', body)).catch(() => undefined);
      if (verified === undefined) {
        response.writeHead(401, { 'www-authenticate': 'Bearer' }).end();
        return;
      }
      const sessionId = request.headers['mcp-session-id'];
      let transport = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
      if (transport === undefined) {
        const created = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          onsessioninitialized: (id) => void sessions.set(id, created),
        });
        await newMcpServer(toolCalls).connect(created);
        transport = created;
      }
      await transport.handleRequest(request, response, body);
    })().catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`,
    requests,
    toolCalls,
    close: async () => {
      for (const transport of sessions.values()) await transport.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

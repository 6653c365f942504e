import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { current, type CaracalContext } from '@caracal/sdk';
import { verifyNodeMiddleware, type MandateClaims, type Verifier } from '@caracal/sdk/verify';

/** What the `whoami` tool handler saw: the verified caller, never a raw token it must trust. */
export interface ToolCall {
  readonly tool: string;
  /** The bearer mandate the call arrived with (verified by the middleware). */
  readonly token: string;
  readonly claims: MandateClaims;
  /** `current()` inside the handler: the caller's context rebuilt from verified claims. */
  readonly context: CaracalContext | undefined;
}

export interface ToolsServer {
  readonly url: string;
  /** Every inbound Authorization header, in arrival order (refused requests included). */
  readonly authorizations: string[];
  readonly calls: ToolCall[];
  close(): Promise<void>;
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}

function newMcpServer(calls: ToolCall[]): McpServer {
  const mcp = new McpServer({ name: 'story-tools', version: '1.0.0' });
  mcp.registerTool('lookup_invoice', { description: 'Looks up an invoice; reports the verified caller.' }, async (extra) => {
    // The middleware hands the verified mandate to MCP as AuthInfo (extra.caracal: claims, context).
    const verified = extra.authInfo?.extra?.caracal as { claims: MandateClaims } | undefined;
    if (extra.authInfo === undefined || verified === undefined) throw new Error('the Caracal middleware did not verify this call');
    calls.push({ tool: 'lookup_invoice', token: extra.authInfo.token, claims: verified.claims, context: current() });
    return { content: [{ type: 'text', text: `invoice 42: 120.00 EUR (call ${calls.length})` }] };
  });
  return mcp;
}

/**
 * A real MCP server (McpServer + StreamableHTTPServerTransport) on node:http, port 0, behind the
 * Caracal verify middleware (`mcp: true`): tools/call needs a per-call mandate for this resource,
 * the rest of MCP a per-call or protocol one.
 */
export async function startToolsServer(verifier: Verifier): Promise<ToolsServer> {
  const authorizations: string[] = [];
  const calls: ToolCall[] = [];
  const transports = new Map<string, StreamableHTTPServerTransport>();
  // mcp: initialize, notifications and the stream may come with protocol mandates (no budget
  // spent); a tools/call needs a per-call one. The guard reads the body and leaves it parsed.
  const guard = verifyNodeMiddleware({ verifier, requiredScopes: ['tools:call'], mcp: true });
  const server = createServer((request, response) => {
    authorizations.push(request.headers.authorization ?? '');
    void guard(request, response, async () => {
      const parsed = (request as { body?: unknown }).body;
      const body = parsed !== undefined || request.method !== 'POST' ? parsed : await readJson(request);
      const sessionId = request.headers['mcp-session-id'];
      let transport = typeof sessionId === 'string' ? transports.get(sessionId) : undefined;
      if (transport === undefined) {
        const created = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (id) => void transports.set(id, created) });
        await newMcpServer(calls).connect(created);
        transport = created;
      }
      await transport.handleRequest(request, response, body);
    }).catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`,
    authorizations,
    calls,
    async close() {
      for (const transport of transports.values()) await transport.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

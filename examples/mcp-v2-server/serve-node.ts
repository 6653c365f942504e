import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { pipeline, Readable } from 'node:stream';
import { mcpAuthInfo, verifyFetch, type Verifier } from '@caracal/sdk/verify';
import type { McpFetch } from './mcp-tools.ts';

// #region node-http
/** node:http → web `Request` → `handle` → web `Response` → node:http. */
function toNodeListener(handle: (request: Request) => Promise<Response>) {
  return (incoming: IncomingMessage, outgoing: ServerResponse): void => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(incoming.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const hasBody = incoming.method !== 'GET' && incoming.method !== 'HEAD';
    const request = new Request(new URL(incoming.url ?? '/', `http://${incoming.headers.host}`), {
      method: incoming.method,
      headers,
      body: hasBody ? (Readable.toWeb(incoming) as ReadableStream<Uint8Array>) : undefined,
      duplex: 'half',
    });
    handle(request).then(
      (response) => {
        outgoing.writeHead(response.status, Object.fromEntries(response.headers));
        if (response.body === null) outgoing.end();
        // pipeline, not pipe: a body cut by a revocation (or a client that went away) ends the
        // socket and cancels the body instead of throwing from an unhandled 'error'.
        else pipeline(Readable.fromWeb(response.body), outgoing, () => undefined);
      },
      () => outgoing.destroy(),
    );
  };
}

function serveMcpOnNodeHttp(mcp: McpFetch, verifier: Verifier): Server {
  // verifyFetch answers 401/403/503 itself; only a verified request reaches the MCP server, in the
  // caller's context, with the mandate as MCP AuthInfo (ctx.http.authInfo in tool handlers).
  // mcp: tools/call needs a per-call mandate, the rest of MCP may come with protocol mandates.
  const guarded = verifyFetch((request, verified) => mcp(request, { authInfo: mcpAuthInfo(verified) }), { verifier, requiredScopes: ['tools:call'], mcp: true });
  return createServer(toNodeListener(guarded));
}
// #endregion node-http

export { serveMcpOnNodeHttp };

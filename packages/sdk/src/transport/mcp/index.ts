/**
 * `@caracal/sdk/mcp`: per-call mandates and trace context for MCP clients.
 * @since 0.1.0
 */

// Checks the Node.js version first, then gives the module-level default client.
import { defaultCaracal } from '../../entry-default-client.ts';
import type { FetchLike } from '../dispatch.ts';
import { buildMcpFetch, type McpFetchOptions } from './build-mcp-fetch.ts';

/**
 * A `fetch` for MCP clients that acts under the current Caracal context: every request to the
 * MCP server carries a mandate whose audience is that server (exchanged at the STS from the
 * context's mandate, never the client's own token), plus W3C `traceparent`/`tracestate`/
 * `baggage` headers, mirrored into `params._meta` of each JSON-RPC message. Every request gets a
 * fresh mandate by default; see `otherRequests` to let requests that exercise no
 * authority share one.
 *
 * Use it as the `fetch` option of the v1 `StreamableHTTPClientTransport` / `SSEClientTransport`
 * (`@modelcontextprotocol/sdk`) or of the v2 transports (`@modelcontextprotocol/client`). Connect
 * and call inside `spawn()`/`bind()`: outside a context the fetch rejects with
 * `NO_ACTIVE_CONTEXT` and nothing is sent. A server that gives no response (down, wrong port)
 * rejects with `NETWORK_ERROR` naming the target and the low-level code.
 * @example
 * const transport = new StreamableHTTPClientTransport(new URL('http://tools.local/mcp'), {
 *   fetch: createMcpFetch({ caracal, resource: 'mcp://tools.local', scopes: ['tools:call'] }),
 * });
 * await caracal.spawn({ kind: 'ephemeral' }, async () => {
 *   await client.connect(transport);
 *   await client.callTool({ name: 'search', arguments: { q: 'caracal' } });
 * });
 * @since 0.1.0
 */
export function createMcpFetch(options: McpFetchOptions): FetchLike {
  return buildMcpFetch(options, defaultCaracal);
}

export type { McpFetchOptions } from './build-mcp-fetch.ts';
export { MCP_ACTING_METHODS } from '../../model/mcp-acting-request.ts';
export { withMcpTraceMeta, type McpTraceMeta } from './mcp-trace-meta.ts';
export { traceMcpTransport, type McpSendingTransport } from './trace-mcp-transport.ts';
export { extractMcpTraceMeta } from './extract-mcp-trace-meta.ts';
export type { FetchLike } from '../dispatch.ts';
export type { TokenExchanger } from '../token-exchanger.ts';

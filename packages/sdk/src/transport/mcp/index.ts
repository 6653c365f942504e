/**
 * `@caracal/sdk/mcp`: per-call mandates and trace context for MCP clients.
 * @since 0.1.0
 */
export { createMcpFetch, type McpFetchOptions } from './create-mcp-fetch.ts';
export { withMcpTraceMeta, type McpTraceMeta } from './mcp-trace-meta.ts';
export { traceMcpTransport, type McpSendingTransport } from './trace-mcp-transport.ts';
export { extractMcpTraceMeta } from './extract-mcp-trace-meta.ts';
export type { FetchLike } from '../dispatch.ts';
export type { TokenExchanger } from '../token-exchanger.ts';

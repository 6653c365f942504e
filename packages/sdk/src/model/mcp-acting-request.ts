/**
 * Which MCP-over-HTTP requests act (exercise authority): the one rule the client (which mandate
 * to ask for) and the receiver (which mandate to accept) share, so that they never disagree.
 * @internal
 */
import { MCP_ACTING_METHODS as PROTOCOL_MCP_ACTING_METHODS } from '@caracal/protocol';

/**
 * The MCP JSON-RPC methods that act: `createMcpFetch` gets them a per-call mandate (the default of
 * `methods`) and a receiver with the `mcp` option refuses a protocol mandate for them (the default
 * of `actingMethods`). One declaration, exported by `@caracal/sdk/mcp` and `@caracal/sdk/verify`.
 * @since 0.1.0
 */
export const MCP_ACTING_METHODS: readonly string[] = PROTOCOL_MCP_ACTING_METHODS;

/** A body that could not be read as JSON. */
const NOT_JSON: unique symbol = Symbol('not JSON');

/** Parses a request body; `NOT_JSON` when it is not JSON, `undefined` when it is empty. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return NOT_JSON;
  }
}

function isJsonRpcMessage(value: unknown): value is { readonly jsonrpc: '2.0'; readonly method?: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && (value as { jsonrpc?: unknown }).jsonrpc === '2.0';
}

/**
 * Whether a request to an MCP server acts. `GET` (the SSE stream) and `DELETE` (ending the
 * session) never do; a `POST` does when one of its JSON-RPC messages calls an acting method.
 * Fails closed: any other HTTP method, and a POST body that is not JSON-RPC, count as acting.
 * @param body the parsed JSON body (`parseJsonBody`), `undefined` when there is none
 */
export function mcpRequestActs(httpMethod: string, body: unknown, actingMethods: ReadonlySet<string>): boolean {
  const method = httpMethod.toUpperCase();
  if (method === 'GET' || method === 'DELETE') return false;
  if (method !== 'POST') return true;
  const messages = Array.isArray(body) ? body : [body];
  if (messages.length === 0 || !messages.every(isJsonRpcMessage)) return true;
  return messages.some((message) => typeof message.method === 'string' && actingMethods.has(message.method));
}

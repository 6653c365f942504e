/**
 * Reading JSON-RPC 2.0 messages out of an MCP HTTP body, single or batch. Total: a body that is
 * not JSON-RPC yields `undefined`, never an exception.
 * @internal
 */

/** A JSON-RPC message as a plain object; only the fields the transport looks at are typed. */
export interface JsonRpcMessage {
  readonly jsonrpc?: unknown;
  readonly method?: unknown;
  readonly params?: unknown;
  readonly [field: string]: unknown;
}

/** The messages of one body and whether they came as a batch (an array). */
export interface JsonRpcPayload {
  readonly messages: readonly JsonRpcMessage[];
  readonly batch: boolean;
}

const decoder = new TextDecoder();

function isMessage(value: unknown): value is JsonRpcMessage {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && (value as JsonRpcMessage).jsonrpc === '2.0';
}

/** Parses a request body as JSON-RPC; `undefined` when it is absent, not JSON, or not JSON-RPC. */
export function parseJsonRpcBody(body: string | Uint8Array | undefined): JsonRpcPayload | undefined {
  if (body === undefined) return undefined;
  const text = typeof body === 'string' ? body : decoder.decode(body);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (Array.isArray(parsed)) {
    return parsed.length > 0 && parsed.every(isMessage) ? { messages: parsed, batch: true } : undefined;
  }
  return isMessage(parsed) ? { messages: [parsed], batch: false } : undefined;
}

/** The method of a request or notification; `undefined` for a response. */
export function methodOf(message: JsonRpcMessage): string | undefined {
  return typeof message.method === 'string' ? message.method : undefined;
}

import { current } from '../../context/current.ts';
import { BAGGAGE_HEADER, TRACEPARENT_HEADER, TRACESTATE_HEADER } from '../../propagation/constants.ts';
import { inject } from '../../propagation/inject.ts';

/**
 * The W3C trace keys MCP carries in a message's `params._meta` (SEP-414; the same names as the
 * HTTP headers). This is how trace context crosses stdio, which has no headers.
 * @since 0.1.0
 */
export interface McpTraceMeta {
  readonly traceparent?: string | undefined;
  readonly tracestate?: string | undefined;
  readonly baggage?: string | undefined;
}

const TRACE_KEYS = [TRACEPARENT_HEADER, TRACESTATE_HEADER, BAGGAGE_HEADER] as const;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Returns `message` with `trace` added to `params._meta`, as a new object. Only requests and
 * notifications are touched (responses have no params), positional (array) params are left
 * alone, and keys the sender already put in `_meta` win, so a trace the caller set is never
 * replaced by a second one.
 * @internal
 */
export function addTraceMeta<Message>(message: Message, trace: McpTraceMeta): Message {
  const candidate = message as { method?: unknown; params?: unknown };
  if (!isPlainObject(candidate) || typeof candidate.method !== 'string') return message;
  const params = candidate.params;
  if (params !== undefined && !isPlainObject(params)) return message;
  const existing = params?._meta;
  if (existing !== undefined && !isPlainObject(existing)) return message;
  const meta: Record<string, unknown> = {};
  for (const key of TRACE_KEYS) if (trace[key] !== undefined) meta[key] = trace[key];
  if (Object.keys(meta).length === 0) return message;
  return { ...candidate, params: { ...params, _meta: { ...meta, ...existing } } } as Message;
}

/**
 * Adds the current context's trace (`traceparent` with a fresh span id, `tracestate`, `baggage`)
 * to a JSON-RPC request or notification's `params._meta`, for transports without headers
 * (stdio). Outside a context, or for a response, the message is returned unchanged.
 * @example
 * await clientTransport.send(withMcpTraceMeta({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'search', arguments: {} } }));
 * @since 0.1.0
 */
export function withMcpTraceMeta<Message>(message: Message): Message {
  const context = current();
  if (context === undefined) return message;
  return addTraceMeta(message, inject(context, {}) as McpTraceMeta);
}

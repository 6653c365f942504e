import { SpanKind } from '@opentelemetry/api';
import { current } from '../../context/current.ts';
import { inject } from '../../propagation/inject.ts';
import { inSpan } from '../../telemetry/in-span.ts';
import { writeSpanTraceHeaders } from '../../telemetry/span-trace-headers.ts';
import { addTraceMeta, type McpTraceMeta } from './mcp-trace-meta.ts';

/**
 * The part of an MCP `Transport` (v1 `@modelcontextprotocol/sdk` and v2) this module relies on.
 * @since 0.1.0
 */
export interface McpSendingTransport {
  send(message: never, options?: never): Promise<void>;
}

/**
 * Wraps an MCP transport (typically stdio) so every request and notification it sends carries
 * the current context's trace in `params._meta`. Everything else (start, close, the `onmessage`
 * handlers the client installs, session ids) reaches the wrapped transport untouched; the
 * wrapper is a Proxy, so it has the wrapped transport's type.
 *
 * The trace is read when `send` is called, so a message sent from inside `spawn()`/`bind()`
 * carries that context and one sent outside carries none. With an OpenTelemetry SDK each request
 * and notification is sent inside a `caracal.mcp.send` client span and its `traceparent` names
 * that span, so the id the server sees belongs to an exported span.
 * @example
 * const transport = traceMcpTransport(new StdioClientTransport({ command: 'tools-server', env: { ...process.env } }));
 * await client.connect(transport);
 * @since 0.1.0
 */
export function traceMcpTransport<Transport extends McpSendingTransport>(transport: Transport): Transport {
  const sendOn = (message: unknown, options?: unknown): Promise<void> => (transport.send as (message: unknown, options?: unknown) => Promise<void>)(message, options);
  const send = (message: unknown, options?: unknown): Promise<void> => {
    const context = current();
    const method = (message as { method?: unknown } | null)?.method;
    // Responses (no method) and messages outside a context go as they are.
    if (context === undefined || typeof method !== 'string') return sendOn(message, options);
    return inSpan('caracal.mcp.send', { kind: SpanKind.CLIENT, attributes: { 'rpc.system': 'jsonrpc', 'rpc.method': method } }, (span) => {
      const trace: Record<string, string> = {};
      writeSpanTraceHeaders(span, context, trace);
      return sendOn(addTraceMeta(message, inject(context, trace) as McpTraceMeta), options);
    });
  };
  return new Proxy(transport, {
    get(target, property) {
      if (property === 'send') return send;
      const value: unknown = Reflect.get(target, property, target);
      // Methods run against the real transport so its private fields resolve.
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
    set(target, property, value) {
      return Reflect.set(target, property, value, target);
    },
  });
}

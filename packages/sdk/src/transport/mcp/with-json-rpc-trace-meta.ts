import type { Interceptor } from '../dispatch.ts';
import { parseJsonRpcBody } from './json-rpc-body.ts';
import { addTraceMeta, type McpTraceMeta } from './mcp-trace-meta.ts';

/**
 * Copies the request's `traceparent`, `tracestate` and `baggage` headers into `params._meta` of
 * every JSON-RPC request and notification in the body, so a server that reads trace context from
 * `_meta` (as stdio servers must) sees the same span as one reading headers. Placed after
 * `withTraceContext`. Bodies that are not JSON-RPC pass unchanged; a rewritten body stays valid
 * JSON-RPC (same ids, methods and params otherwise) and drops a stale `content-length`.
 * @internal
 */
export function withJsonRpcTraceMeta(): Interceptor {
  return (next) => (request) => {
    const { traceparent, tracestate, baggage } = request.headers;
    if (traceparent === undefined && baggage === undefined) return next(request);
    const payload = parseJsonRpcBody(request.body);
    if (payload === undefined) return next(request);
    const trace: McpTraceMeta = { traceparent, tracestate, baggage };
    const messages = payload.messages.map((message) => addTraceMeta(message, trace));
    if (messages.every((message, index) => message === payload.messages[index])) return next(request);
    const { 'content-length': _stale, ...headers } = request.headers;
    const body = JSON.stringify(payload.batch ? messages : messages[0]);
    return next({ ...request, headers, body });
  };
}

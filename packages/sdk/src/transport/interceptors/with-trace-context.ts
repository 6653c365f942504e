import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { Attributes } from '@opentelemetry/api';
import { current } from '../../context/current.ts';
import type { CaracalContext } from '../../model/caracal-context.ts';
import { TRACEPARENT_HEADER } from '../../propagation/constants.ts';
import { findHeaderKey } from '../../propagation/headers.ts';
import { inject } from '../../propagation/inject.ts';
import { inSpan } from '../../telemetry/in-span.ts';
import { writeSpanTraceHeaders } from '../../telemetry/span-trace-headers.ts';
import type { DispatchRequest, Interceptor } from '../dispatch.ts';

/**
 * Options of {@link withTraceContext}.
 * @example
 * withTraceContext({ spanName: 'caracal.mcp.request' });
 * @since 0.1.0
 */
export interface TraceContextOptions {
  /**
   * The name of the client span each request gets when an OpenTelemetry SDK is registered.
   * @default 'caracal.request'
   */
  readonly spanName?: string;
}

function requestAttributes(request: DispatchRequest, context: CaracalContext): Attributes {
  const url = new URL(request.url);
  const attributes: Attributes = {
    'http.request.method': request.method,
    'url.full': `${url.origin}${url.pathname}`,
    'server.address': url.hostname,
    'caracal.hop': context.hop,
  };
  if (url.port !== '') attributes['server.port'] = Number(url.port);
  if (context.agentSessionId !== undefined) attributes['caracal.agent_session_id'] = context.agentSessionId;
  if (context.delegationEdgeId !== undefined) attributes['caracal.delegation_edge_id'] = context.delegationEdgeId;
  return attributes;
}

/**
 * Gives every request in a context a client span (a no-op span without an OpenTelemetry SDK)
 * and the W3C headers naming it: `traceparent` with that span's id, so the id the receiver sees
 * belongs to an exported span; without an SDK, the context's trace id and a fresh span id per
 * request, so each retry is its own hop. Then `tracestate` and `baggage` (`caracal.agent_session`,
 * `caracal.delegation_edge`, `caracal.parent_edge`, `caracal.hop`, then foreign members). A
 * `traceparent` the caller already set is kept, never doubled; the innermost dispatch
 * ({@link sendWithOneTraceparent}) keeps instrumentation from adding one.
 *
 * Outside a context the request passes unchanged: trace context is not authority, and
 * interceptors that need authority (`withTokenExchange`) fail closed on their own.
 * @example
 * const send = compose(withTraceContext({ spanName: 'caracal.a2a.request' }))(sendWithOneTraceparent(fetchDispatch()));
 * @since 0.1.0
 */
export function withTraceContext(options: TraceContextOptions = {}): Interceptor {
  const spanName = options.spanName ?? 'caracal.request';
  return (next) => (request) => {
    const context = current();
    if (context === undefined) return next(request);
    return inSpan(spanName, { kind: SpanKind.CLIENT, attributes: requestAttributes(request, context) }, async (span) => {
      const headers = { ...request.headers };
      if (findHeaderKey(headers, TRACEPARENT_HEADER) === undefined) writeSpanTraceHeaders(span, context, headers);
      inject(context, headers);
      const response = await next({ ...request, headers });
      span.setAttribute('http.response.status_code', response.status);
      if (response.status >= 400) span.setStatus({ code: SpanStatusCode.ERROR });
      return response;
    });
  };
}

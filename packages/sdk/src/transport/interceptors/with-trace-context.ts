import { current } from '../../context/current.ts';
import { inject } from '../../propagation/inject.ts';
import type { Interceptor } from '../dispatch.ts';

/**
 * Adds the current context's W3C `traceparent` (a fresh span id per request, so each retry is
 * its own hop), `tracestate` and `baggage` (`caracal.agent_session`, `caracal.delegation_edge`,
 * `caracal.parent_edge`, `caracal.hop`, then foreign members) to every request. A `traceparent`
 * the caller already set (OpenTelemetry instrumentation) is kept, never doubled.
 *
 * Outside a context the request passes unchanged: trace context is not authority, and
 * interceptors that need authority (`withTokenExchange`) fail closed on their own.
 * @example
 * const send = compose(withTraceContext())(fetchDispatch());
 * @since 0.1.0
 */
export function withTraceContext(): Interceptor {
  return (next) => (request) => {
    const context = current();
    if (context === undefined) return next(request);
    return next({ ...request, headers: inject(context, { ...request.headers }) });
  };
}

import { TRACEPARENT_HEADER } from '../propagation/constants.ts';
import { findHeaderKey } from '../propagation/headers.ts';
import { withInstrumentationSuppressed } from '../telemetry/suppress-instrumentation.ts';
import type { Dispatch } from './dispatch.ts';

/**
 * The innermost dispatch of the transports: a request that already carries its `traceparent`
 * is sent with OpenTelemetry instrumentation suppressed, so the undici, http or fetch
 * instrumentation neither adds a second `traceparent` nor records a span nobody sees on the
 * wire. Caracal's own client span (`withTraceContext`) stands in for the HTTP client span.
 * @example
 * const send = compose(withTraceContext({ spanName: 'caracal.mcp.request' }))(sendWithOneTraceparent(fetchDispatch()));
 * @since 0.1.0
 */
export function sendWithOneTraceparent(send: Dispatch): Dispatch {
  return (request) => (findHeaderKey(request.headers, TRACEPARENT_HEADER) === undefined ? send(request) : withInstrumentationSuppressed(() => send(request)));
}

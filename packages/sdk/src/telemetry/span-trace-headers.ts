import { isSpanContextValid } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import { TRACEPARENT_HEADER, TRACEPARENT_VERSION, TRACESTATE_HEADER } from '../propagation/constants.ts';
import { traceStateOf } from '../propagation/inject.ts';
import type { CaracalContext } from '../model/caracal-context.ts';

/**
 * Writes `traceparent` naming `span` (its trace id, its own span id, its flags) into `headers`
 * when the span context is valid, that is when an OpenTelemetry SDK made it; then `tracestate`:
 * the context's, else the span's. Returns false, writing nothing, for the API's no-op span, so
 * `inject` writes the context's trace id and a fresh span id as it does without OpenTelemetry.
 * @internal
 */
export function writeSpanTraceHeaders(span: Span, context: CaracalContext, headers: Record<string, string>): boolean {
  const spanContext = span.spanContext();
  if (!isSpanContextValid(spanContext)) return false;
  const flags = (spanContext.traceFlags & 0xff).toString(16).padStart(2, '0');
  headers[TRACEPARENT_HEADER] = `${TRACEPARENT_VERSION}-${spanContext.traceId}-${spanContext.spanId}-${flags}`;
  const traceState = traceStateOf(context) ?? (spanContext.traceState?.serialize() || undefined);
  if (traceState !== undefined) headers[TRACESTATE_HEADER] = traceState;
  return true;
}

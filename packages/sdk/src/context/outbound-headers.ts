import { trace } from '@opentelemetry/api';
import { inject } from '../propagation/index.ts';
import type { CaracalContext } from '../model/caracal-context.ts';
import { writeSpanTraceHeaders } from '../telemetry/span-trace-headers.ts';

/**
 * The headers an outbound call carries for a context, with `token` as the bearer (the context's
 * own by default). With an active OpenTelemetry span (an SDK is registered), `traceparent` names
 * that span, so the parent id the receiver sees is an exported span; otherwise `inject` writes
 * the context's trace id and a fresh span id. Then `tracestate` when present, and `baggage` with
 * the Caracal lineage next to any foreign members.
 * @internal
 */
export function outboundHeaders(context: CaracalContext, token: string = context.subjectToken): Record<string, string> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  const span = trace.getActiveSpan();
  if (span !== undefined) writeSpanTraceHeaders(span, context, headers);
  inject(context, headers);
  return headers;
}

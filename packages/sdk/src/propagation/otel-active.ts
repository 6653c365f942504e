import { isSpanContextValid, trace } from '@opentelemetry/api';

/**
 * The trace id of the active OpenTelemetry span, when one is active and valid. The SDK core uses
 * it so a new context joins the trace OpenTelemetry is already recording.
 * @returns the trace id, or `undefined` without a valid active span.
 * @example
 * const traceId = activeOtelTraceId() ?? newTraceId();
 * @since 0.1.0
 */
export function activeOtelTraceId(): string | undefined {
  const span = trace.getActiveSpan();
  if (span === undefined) return undefined;
  const spanContext = span.spanContext();
  return isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}

/**
 * The W3C fields of the active OpenTelemetry span (trace id, flags as two hex digits, serialized
 * `tracestate`), when one is active and valid.
 * @returns trace id, flags and `tracestate`, or `undefined` without a valid active span.
 * @example
 * const active = activeOtelTraceContext();
 * const traced = active ? { ...ctx, traceId: active.traceId, traceFlags: active.traceFlags } : ctx;
 * @since 0.1.0
 */
export function activeOtelTraceContext(): { traceId: string; traceFlags: string; traceState?: string } | undefined {
  const span = trace.getActiveSpan();
  if (span === undefined) return undefined;
  const spanContext = span.spanContext();
  if (!isSpanContextValid(spanContext)) return undefined;
  const traceFlags = (spanContext.traceFlags & 0xff).toString(16).padStart(2, '0');
  const traceState = spanContext.traceState?.serialize();
  return traceState ? { traceId: spanContext.traceId, traceFlags, traceState } : { traceId: spanContext.traceId, traceFlags };
}

import { context as otelContext, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Attributes, Span, SpanKind } from '@opentelemetry/api';

/** The name Caracal's spans are recorded under (`otel.scope.name`). */
const TRACER_NAME = '@caracal/sdk';

/** What {@link inSpan} records besides the name. */
export interface SpanOptions {
  readonly kind: SpanKind;
  readonly attributes?: Attributes;
}

/**
 * Runs `fn` inside a new span, active for everything `fn` awaits, and ends it when `fn` settles:
 * an error is recorded on the span and rethrown. The span is a child of the active
 * OpenTelemetry span. Without a registered OpenTelemetry SDK the API hands out a non-recording
 * span and this costs a function call; nothing else changes.
 * @internal
 */
export async function inSpan<R>(name: string, options: SpanOptions, fn: (span: Span) => Promise<R>): Promise<R> {
  // Looked up per call: an SDK registered after this module loaded still gets the spans.
  const tracer = trace.getTracer(TRACER_NAME);
  const span = tracer.startSpan(name, { kind: options.kind, ...(options.attributes === undefined ? {} : { attributes: options.attributes }) });
  try {
    return await otelContext.with(trace.setSpan(otelContext.active(), span), fn, undefined, span);
  } catch (error) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    throw error;
  } finally {
    span.end();
  }
}

/** Sets `key` on the active span, if there is one; for facts learnt inside {@link inSpan}. */
export function setActiveSpanAttribute(key: string, value: string | number | undefined): void {
  if (value !== undefined) trace.getActiveSpan()?.setAttribute(key, value);
}

import type { SpanKind, TextMapPropagator } from '@opentelemetry/api';

/** The fields of an exported span the one-trace checks read; the same in the 2.x and 3.x lines. */
export interface ExportedSpan {
  readonly name: string;
  readonly kind: SpanKind;
  spanContext(): { readonly traceId: string; readonly spanId: string };
  readonly parentSpanContext?: { readonly spanId: string } | undefined;
}

/** Which OpenTelemetry instrumentations are on for a run. */
export interface Instrumentations {
  readonly undici: boolean;
  readonly http: boolean;
}

/**
 * One OpenTelemetry SDK line, registered globally with an in-memory exporter: what a user's
 * `tracing.ts` does, minus the network exporter.
 */
export interface OtelLine {
  /** Sets the global propagator (the SDK's W3C one, optionally composed with Caracal's). */
  usePropagator(extra: TextMapPropagator | undefined): void;
  /** Turns the undici and http instrumentations on or off. */
  useInstrumentations(instrumentations: Instrumentations): void;
  /** Spans exported so far. */
  spans(): ExportedSpan[];
  /** Forgets exported spans. */
  reset(): void;
  shutdown(): Promise<void>;
}

import { context, propagation, trace, type SpanKind, type TextMapPropagator } from '@opentelemetry/api';

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

/** An instrumentation as both lines shape it: built enabled, switched on and off per run. */
export interface SwitchableInstrumentation {
  setTracerProvider(provider: never): void;
  enable(): void;
  disable(): void;
}

/** The parts a line registers; `lineFrom` wires them into an `OtelLine` the same way for both. */
export interface OtelLineParts<Provider> {
  readonly exporter: { getFinishedSpans(): ExportedSpan[]; reset(): void };
  readonly provider: Provider & { shutdown(): Promise<void> };
  readonly undici: SwitchableInstrumentation;
  readonly http: SwitchableInstrumentation;
  /** The line's own W3C trace-context and baggage propagators, composed by its `CompositePropagator`. */
  readonly w3cPropagators: () => TextMapPropagator[];
  readonly compose: (propagators: TextMapPropagator[]) => TextMapPropagator;
}

/** The `OtelLine` of a registered provider and its two instrumentations. */
export function lineFrom<Provider>(parts: OtelLineParts<Provider>): OtelLine {
  const { exporter, provider, undici, http } = parts;
  for (const instrumentation of [undici, http]) instrumentation.setTracerProvider(provider as never);
  let enabled: Instrumentations = { undici: true, http: true };
  return {
    usePropagator(extra) {
      const propagators = parts.w3cPropagators();
      if (extra !== undefined) propagators.push(extra);
      propagation.disable();
      propagation.setGlobalPropagator(parts.compose(propagators));
    },
    useInstrumentations(on) {
      // disable() on a never-enabled instrumentation throws in some versions: switch on change only.
      for (const [name, instrumentation] of [['undici', undici], ['http', http]] as const) {
        if (on[name] === enabled[name]) continue;
        if (on[name]) instrumentation.enable();
        else instrumentation.disable();
      }
      enabled = { ...on };
    },
    spans: () => exporter.getFinishedSpans(),
    reset: () => exporter.reset(),
    async shutdown() {
      if (enabled.undici) undici.disable();
      if (enabled.http) http.disable();
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

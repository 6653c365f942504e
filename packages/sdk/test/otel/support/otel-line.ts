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

/** The propagator classes of a line's `@opentelemetry/core`. */
export interface OtelCore {
  readonly W3CTraceContextPropagator: new () => TextMapPropagator;
  readonly W3CBaggagePropagator: new () => TextMapPropagator;
  readonly CompositePropagator: new (config: { propagators: TextMapPropagator[] }) => TextMapPropagator;
}

/** The parts a line registers; `lineFrom` wires them into an `OtelLine` the same way for both. */
export interface OtelLineParts<Provider> {
  readonly exporter: { getFinishedSpans(): ExportedSpan[]; reset(): void };
  readonly provider: Provider & { shutdown(): Promise<void> };
  /** The line's own core: its W3C trace-context and baggage propagators, composed by its `CompositePropagator`. */
  readonly core: OtelCore;
  readonly Undici: new () => SwitchableInstrumentation;
  readonly Http: new () => SwitchableInstrumentation;
}

/** The `OtelLine` of a registered provider and its two instrumentations. */
export function lineFrom<Provider>(parts: OtelLineParts<Provider>): OtelLine {
  const { exporter, provider, core } = parts;
  // Built enabled (the undici instrumentation reads `config.enabled` on every request).
  const undici = new parts.Undici();
  const http = new parts.Http();
  for (const instrumentation of [undici, http]) instrumentation.setTracerProvider(provider as never);
  let enabled: Instrumentations = { undici: true, http: true };
  return {
    usePropagator(extra) {
      const propagators = [new core.W3CTraceContextPropagator(), new core.W3CBaggagePropagator()];
      if (extra !== undefined) propagators.push(extra);
      propagation.disable();
      propagation.setGlobalPropagator(new core.CompositePropagator({ propagators }));
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

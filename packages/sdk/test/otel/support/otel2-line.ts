import { context, propagation, trace } from '@opentelemetry/api';
import type { TextMapPropagator } from '@opentelemetry/api';
import { HttpInstrumentation } from 'otel2-instrumentation-http';
import { UndiciInstrumentation } from 'otel2-instrumentation-undici';
import { InMemorySpanExporter, SimpleSpanProcessor } from 'otel2-sdk-trace-base';
import { NodeTracerProvider } from 'otel2-sdk-trace-node';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from 'otel2-core';
import type { Instrumentations, OtelLine } from './otel-line.ts';

/** `@opentelemetry/sdk-trace-node` 2.x, registered as its README shows, and its instrumentations. */
export function startOtel2(): OtelLine {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  provider.register();
  // Built enabled (the undici instrumentation reads `config.enabled` on every request), then
  // switched per run.
  const undici = new UndiciInstrumentation();
  const http = new HttpInstrumentation();
  for (const instrumentation of [undici, http]) instrumentation.setTracerProvider(provider);
  let enabled: Instrumentations = { undici: true, http: true };
  return {
    usePropagator(extra: TextMapPropagator | undefined) {
      const propagators: TextMapPropagator[] = [new W3CTraceContextPropagator(), new W3CBaggagePropagator()];
      if (extra !== undefined) propagators.push(extra);
      propagation.disable();
      propagation.setGlobalPropagator(new CompositePropagator({ propagators }));
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

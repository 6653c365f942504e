import { context, propagation, trace } from '@opentelemetry/api';
import type { TextMapPropagator } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { AsyncLocalStorageContextManager } from 'otel3-context-async-hooks';
import { HttpInstrumentation } from 'otel3-instrumentation-http';
import { UndiciInstrumentation } from 'otel3-instrumentation-undici';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from 'otel3-sdk-trace';
import type { Instrumentations, OtelLine } from './otel-line.ts';

/**
 * The 3.x line: `@opentelemetry/sdk-trace` 3.x (there is no `sdk-trace-node` 3.x; the line merged
 * it into `sdk-trace`), registered by hand with the AsyncLocalStorage context manager, and the
 * instrumentations built on `@opentelemetry/core` 3.x.
 */
export function startOtel3(): OtelLine {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
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

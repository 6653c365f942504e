import { HttpInstrumentation } from 'otel2-instrumentation-http';
import { UndiciInstrumentation } from 'otel2-instrumentation-undici';
import { InMemorySpanExporter, SimpleSpanProcessor } from 'otel2-sdk-trace-base';
import { NodeTracerProvider } from 'otel2-sdk-trace-node';
import * as core from 'otel2-core';
import { lineFrom, type OtelLine } from './otel-line.ts';

/** `@opentelemetry/sdk-trace-node` 2.x, registered as its README shows, and its instrumentations. */
export function startOtel2(): OtelLine {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  provider.register();
  return lineFrom({ exporter, provider, core, Undici: UndiciInstrumentation, Http: HttpInstrumentation });
}

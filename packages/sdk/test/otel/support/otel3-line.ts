import { context, trace } from '@opentelemetry/api';
import * as core from '@opentelemetry/core';
import { AsyncLocalStorageContextManager } from 'otel3-context-async-hooks';
import { HttpInstrumentation } from 'otel3-instrumentation-http';
import { UndiciInstrumentation } from 'otel3-instrumentation-undici';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from 'otel3-sdk-trace';
import { afterAll, beforeAll } from 'vitest';
import { lineFrom, type OtelLine } from './otel-line.ts';

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
  return lineFrom({ exporter, provider, core, Undici: UndiciInstrumentation, Http: HttpInstrumentation });
}

/**
 * Registers the 3.x line, with only its own W3C propagators, around the enclosing `describe`;
 * the returned function reads it inside tests.
 */
export function useOtel3Line(): () => OtelLine {
  let line: OtelLine | undefined;
  beforeAll(() => {
    line = startOtel3();
    line.usePropagator(undefined);
  });
  afterAll(() => line?.shutdown());
  return () => {
    if (line === undefined) throw new Error('the OpenTelemetry line starts before the tests');
    return line;
  };
}

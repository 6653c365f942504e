import { context as otelContext, createContextKey } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';

/**
 * The key `@opentelemetry/core`'s `suppressTracing` sets (same string in the 2.x and 3.x lines;
 * `createContextKey` is `Symbol.for`, so the symbols are equal). Instrumentations (undici, http,
 * fetch) and the W3C propagators create no span and inject no header under it. Declared here so
 * the SDK needs only `@opentelemetry/api`.
 */
const SUPPRESS_TRACING_KEY = createContextKey('OpenTelemetry SDK Context Key SUPPRESS_TRACING');

/**
 * Runs `fn` with OpenTelemetry instrumentation suppressed: a request Caracal already gave its
 * `traceparent` then leaves with that one header, never a second from an instrumentation.
 * @internal
 */
export function withInstrumentationSuppressed<R>(fn: () => R): R {
  return otelContext.with(otelContext.active().setValue(SUPPRESS_TRACING_KEY, true), fn);
}

/** True when `context` suppresses instrumentation (ours or `@opentelemetry/core`'s). @internal */
export function isInstrumentationSuppressed(context: Context): boolean {
  return context.getValue(SUPPRESS_TRACING_KEY) === true;
}

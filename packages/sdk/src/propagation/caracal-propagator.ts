import { createContextKey, createTraceState, isSpanContextValid, trace } from '@opentelemetry/api';
import type { Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import type { CaracalContext } from '../model/caracal-context.ts';
import { caracalBaggage } from './caracal-baggage.ts';
import { readCarrier } from './carrier.ts';
import { BAGGAGE_HEADER, TRACEPARENT_HEADER, TRACEPARENT_VERSION, TRACESTATE_HEADER } from './constants.ts';
import { extract } from './extract.ts';
import type { IncomingHeaders } from './headers.ts';
import { newSpanId } from './ids.ts';
import { traceFlagsOf, traceIdOf, traceStateOf } from './inject.ts';
import { isInstrumentationSuppressed } from '../telemetry/suppress-instrumentation.ts';
import type { CaracalLineage } from './lineage.ts';

/**
 * The OpenTelemetry context key under which {@link CaracalPropagator} stores the extracted
 * lineage. `createContextKey` uses `Symbol.for`, so two copies of the SDK share it.
 * @example
 * const lineage = otelContext.active().getValue(CARACAL_LINEAGE_KEY) as CaracalLineage | undefined;
 * @since 0.1.0
 */
export const CARACAL_LINEAGE_KEY: symbol = /* @__PURE__ */ createContextKey('caracal.lineage');

/**
 * The lineage {@link CaracalPropagator} extracted into `context`, if any. Untrusted, like
 * everything read from headers.
 * @param context - an OpenTelemetry context.
 * @returns the lineage stored in it, if any.
 * @example
 * const lineage = getCaracalLineage(otelContext.active());
 * @since 0.1.0
 */
export function getCaracalLineage(context: Context): CaracalLineage | undefined {
  return context.getValue(CARACAL_LINEAGE_KEY) as CaracalLineage | undefined;
}

/**
 * A copy of `context` carrying `lineage`, which {@link CaracalPropagator} then injects.
 * @param context - an OpenTelemetry context.
 * @param lineage - the lineage to carry.
 * @returns a new context holding `lineage`.
 * @example
 * const next = setCaracalLineage(otelContext.active(), lineage);
 * @since 0.1.0
 */
export function setCaracalLineage(context: Context, lineage: CaracalLineage): Context {
  return context.setValue(CARACAL_LINEAGE_KEY, lineage);
}

/**
 * Options of {@link CaracalPropagator}.
 * @example
 * new CaracalPropagator({ current });
 * @since 0.1.0
 */
export interface CaracalPropagatorOptions {
  /**
   * The Caracal context of the current call, e.g. `current` from `@caracal/sdk`. It wins over a
   * lineage found in the OpenTelemetry context, being the more specific of the two.
   * @default () => undefined
   */
  readonly current?: () => CaracalContext | undefined;
  /**
   * Reads headers already in the carrier during `inject`, which OpenTelemetry only gives a
   * setter. @default `get(name)` on `Headers`/`Map`, a case-insensitive lookup on plain objects
   */
  readonly carrierGetter?: TextMapGetter;
}

/**
 * OpenTelemetry `TextMapPropagator` for Caracal lineage.
 *
 * `inject` writes `traceparent`/`tracestate` from the OpenTelemetry span context when there is a
 * valid one, else from the Caracal context, and never when the carrier already holds a
 * `traceparent` (instrumentation wrote it first). It then writes `baggage` with the Caracal
 * members, merged into any `baggage` already in the carrier; put it after `W3CBaggagePropagator`
 * in a `CompositePropagator`, which would otherwise overwrite it. Under `suppressTracing` it
 * writes nothing, like the W3C propagators. `extract` sets the remote span
 * context and stores the (untrusted) lineage under {@link CARACAL_LINEAGE_KEY}.
 * @example
 * propagation.setGlobalPropagator(new CompositePropagator({
 *   propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator(), new CaracalPropagator({ current })],
 * }));
 * @since 0.1.0
 */
export class CaracalPropagator implements TextMapPropagator {
  readonly #current: (() => CaracalContext | undefined) | undefined;
  readonly #carrierGetter: TextMapGetter | undefined;

  constructor(options: CaracalPropagatorOptions = {}) {
    this.#current = options.current;
    this.#carrierGetter = options.carrierGetter;
  }

  /**
   * Writes `traceparent`/`tracestate` (unless already there) and Caracal's `baggage` into
   * `carrier`; nothing when `context` suppresses tracing, as the W3C propagators do: Caracal's
   * transports suppress instrumentation on requests that already carry their headers.
   */
  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    if (isInstrumentationSuppressed(context)) return;
    const ctx = this.#current?.();
    if (this.#read(carrier, TRACEPARENT_HEADER) === undefined) {
      const spanContext = trace.getSpanContext(context);
      if (spanContext !== undefined && isSpanContextValid(spanContext)) {
        const flags = (spanContext.traceFlags & 0xff).toString(16).padStart(2, '0');
        setter.set(carrier, TRACEPARENT_HEADER, `${TRACEPARENT_VERSION}-${spanContext.traceId}-${spanContext.spanId}-${flags}`);
        const traceState = spanContext.traceState?.serialize();
        if (traceState) setter.set(carrier, TRACESTATE_HEADER, traceState);
      } else if (ctx !== undefined) {
        setter.set(carrier, TRACEPARENT_HEADER, `${TRACEPARENT_VERSION}-${traceIdOf(ctx)}-${newSpanId()}-${traceFlagsOf(ctx)}`);
        const traceState = traceStateOf(ctx);
        if (traceState !== undefined) setter.set(carrier, TRACESTATE_HEADER, traceState);
      }
    }
    const fields = ctx ?? getCaracalLineage(context);
    if (fields === undefined) return;
    const baggage = caracalBaggage(fields, this.#read(carrier, BAGGAGE_HEADER));
    if (baggage !== '') setter.set(carrier, BAGGAGE_HEADER, baggage);
  }

  /** A copy of `context` with the remote span context and the lineage; `context` itself when none. */
  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const headers: IncomingHeaders = {
      [TRACEPARENT_HEADER]: getter.get(carrier, TRACEPARENT_HEADER),
      [TRACESTATE_HEADER]: getter.get(carrier, TRACESTATE_HEADER),
      [BAGGAGE_HEADER]: getter.get(carrier, BAGGAGE_HEADER),
    };
    const lineage = extract(headers);
    if (lineage === null) return context;
    const withSpan = trace.setSpanContext(context, {
      traceId: lineage.traceId,
      spanId: lineage.spanId,
      traceFlags: Number.parseInt(lineage.traceFlags, 16),
      isRemote: true,
      ...(lineage.traceState === undefined ? {} : { traceState: createTraceState(lineage.traceState) }),
    });
    return setCaracalLineage(withSpan, lineage);
  }

  /** The headers this propagator reads and writes. */
  fields(): string[] {
    return [TRACEPARENT_HEADER, TRACESTATE_HEADER, BAGGAGE_HEADER];
  }

  #read(carrier: unknown, name: string): string | readonly string[] | undefined {
    if (this.#carrierGetter === undefined) return readCarrier(carrier, name);
    const value = this.#carrierGetter.get(carrier, name);
    return value === undefined || value === '' ? undefined : value;
  }
}

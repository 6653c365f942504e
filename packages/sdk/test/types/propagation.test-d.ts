// Type tests for `@caracal/sdk/propagation`: pure codecs that return null on bad input.
import type { IncomingMessage } from 'node:http';
import { context as otelContext, type TextMapPropagator } from '@opentelemetry/api';
import { current, type CaracalContext } from '@caracal/sdk';
import {
  type BAGGAGE_HEADER,
  type BAGGAGE_MAX_BYTES,
  CaracalPropagator,
  extract,
  formatBaggage,
  formatTraceparent,
  formatTracestate,
  getCaracalLineage,
  inject,
  parseBaggage,
  parseTraceparent,
  parseTracestate,
  type TRACEPARENT_HEADER,
  type TRACESTATE_HEADER,
  type BaggageEntry,
  type CaracalLineage,
  type HeaderGetter,
  type IncomingHeaders,
  type Traceparent,
  type TracestateEntry,
} from '@caracal/sdk/propagation';
import type * as propagation from '@caracal/sdk/propagation';
import { describe, expectTypeOf, test } from 'vitest';

declare const context: CaracalContext;
declare const request: IncomingMessage;

describe('@caracal/sdk/propagation surface', () => {
  test('exports exactly these values', () => {
    expectTypeOf<keyof typeof propagation>().toEqualTypeOf<
      | 'BAGGAGE_AGENT_SESSION'
      | 'BAGGAGE_DELEGATION_EDGE'
      | 'BAGGAGE_HEADER'
      | 'BAGGAGE_HOP'
      | 'BAGGAGE_MAX_BYTES'
      | 'BAGGAGE_MAX_MEMBERS'
      | 'BAGGAGE_PARENT_EDGE'
      | 'CARACAL_LINEAGE_KEY'
      | 'CaracalPropagator'
      | 'DEFAULT_TRACE_FLAGS'
      | 'TRACEPARENT_HEADER'
      | 'TRACEPARENT_LENGTH'
      | 'TRACEPARENT_VERSION'
      | 'TRACESTATE_HEADER'
      | 'TRACESTATE_MAX_KEY_LENGTH'
      | 'TRACESTATE_MAX_MEMBERS'
      | 'TRACESTATE_MAX_SYSTEM_LENGTH'
      | 'TRACESTATE_MAX_TENANT_LENGTH'
      | 'TRACESTATE_MAX_VALUE_LENGTH'
      | 'activeOtelTraceContext'
      | 'activeOtelTraceId'
      | 'extract'
      | 'formatBaggage'
      | 'formatTraceparent'
      | 'formatTracestate'
      | 'getCaracalLineage'
      | 'inject'
      | 'isValidSpanId'
      | 'isValidTraceFlags'
      | 'isValidTraceId'
      | 'isValidTracestate'
      | 'newSpanId'
      | 'newTraceId'
      | 'parseBaggage'
      | 'parseTraceparent'
      | 'parseTracestate'
      | 'setCaracalLineage'
    >();
  });

  test('header names and limits are literal constants', () => {
    expectTypeOf<typeof TRACEPARENT_HEADER>().toEqualTypeOf<'traceparent'>();
    expectTypeOf<typeof TRACESTATE_HEADER>().toEqualTypeOf<'tracestate'>();
    expectTypeOf<typeof BAGGAGE_HEADER>().toEqualTypeOf<'baggage'>();
    expectTypeOf<typeof BAGGAGE_MAX_BYTES>().toEqualTypeOf<8192>();
  });
});

describe('W3C codecs', () => {
  test('parsers return a value or null, never undefined', () => {
    expectTypeOf(parseTraceparent('00-…')).toEqualTypeOf<Traceparent | null>();
    expectTypeOf(parseTracestate('a=1')).toEqualTypeOf<TracestateEntry[] | null>();
    expectTypeOf(parseTracestate(['a=1', 'b=2'])).toEqualTypeOf<TracestateEntry[] | null>();
    expectTypeOf(parseBaggage('k=v')).toEqualTypeOf<BaggageEntry[] | null>();
    expectTypeOf(parseBaggage(['k=v', 'l=w'])).toEqualTypeOf<BaggageEntry[] | null>();
  });

  test('parsed values have the documented shape and are readonly', () => {
    expectTypeOf<Traceparent>().toEqualTypeOf<{ readonly version: string; readonly traceId: string; readonly spanId: string; readonly traceFlags: string }>();
    expectTypeOf<BaggageEntry>().toEqualTypeOf<{ readonly key: string; readonly value: string; readonly properties?: string }>();
    expectTypeOf<TracestateEntry>().toEqualTypeOf<{ readonly key: string; readonly value: string }>();
  });

  test('formatters take what the parsers return and may refuse (null)', () => {
    expectTypeOf(formatTraceparent({ traceId: 't', spanId: 's' })).toEqualTypeOf<string | null>();
    expectTypeOf(formatTracestate(parseTracestate('a=1') ?? [])).toEqualTypeOf<string | null>();
    expectTypeOf(formatBaggage(parseBaggage('k=v') ?? [])).toEqualTypeOf<string | null>();
    // @ts-expect-error -- spanId is required
    void formatTraceparent({ traceId: 't' });
    // @ts-expect-error -- baggage entries have a value
    void formatBaggage([{ key: 'k' }]);
  });
});

describe('inject and extract', () => {
  test('inject writes into and returns the caller\'s headers object', () => {
    expectTypeOf(inject(context, { authorization: 'Bearer t' }).authorization).toEqualTypeOf<string>();
    expectTypeOf(inject(context, {})).toExtend<Record<string, string>>();
    // @ts-expect-error -- header values are strings
    void inject(context, { 'content-length': 12 });
    // @ts-expect-error -- needs a context, not a lineage guess
    void inject({ traceId: 't' }, {});
  });

  test('extract takes Node\'s request headers, a plain object or a fetch Headers and returns a lineage or null', () => {
    expectTypeOf(extract(request.headers)).toEqualTypeOf<CaracalLineage | null>();
    expectTypeOf(extract({ traceparent: '00-…', baggage: ['a=1', 'b=2'] })).toEqualTypeOf<CaracalLineage | null>();
    expectTypeOf(request.headers).toExtend<IncomingHeaders>();
    expectTypeOf(extract(new Headers())).toEqualTypeOf<CaracalLineage | null>();
    expectTypeOf(new Headers()).toExtend<HeaderGetter>();
    // @ts-expect-error -- header values are strings or string arrays
    void extract({ traceparent: 42 });
  });

  test('a lineage is readonly, with an optional numeric hop and always a baggage record', () => {
    expectTypeOf<CaracalLineage>().toEqualTypeOf<Readonly<CaracalLineage>>();
    expectTypeOf<CaracalLineage['traceId']>().toEqualTypeOf<string>();
    expectTypeOf<CaracalLineage['hop']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<CaracalLineage['agentSessionId']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<CaracalLineage['baggage']>().toEqualTypeOf<Readonly<Record<string, string>>>();
  });
});

describe('CaracalPropagator', () => {
  test('is an OpenTelemetry TextMapPropagator that takes the SDK\'s current()', () => {
    expectTypeOf(new CaracalPropagator({ current })).toExtend<TextMapPropagator>();
    expectTypeOf(new CaracalPropagator()).toExtend<TextMapPropagator>();
    expectTypeOf(getCaracalLineage(otelContext.active())).toEqualTypeOf<CaracalLineage | undefined>();
    // @ts-expect-error -- current is a function returning the context, not the context
    void new CaracalPropagator({ current: context });
  });
});

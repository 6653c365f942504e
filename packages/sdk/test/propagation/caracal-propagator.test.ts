import { AsyncLocalStorage } from 'node:async_hooks';
import { context as otelContext, createTraceState, defaultTextMapGetter, defaultTextMapSetter, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import type { Context, ContextManager, TextMapSetter } from '@opentelemetry/api';
import { CompositePropagator, suppressTracing, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activeOtelTraceContext,
  activeOtelTraceId,
  CARACAL_LINEAGE_KEY,
  CaracalPropagator,
  getCaracalLineage,
  parseBaggage,
  parseTraceparent,
  setCaracalLineage,
} from '../../src/propagation/index.ts';
import { TEST_TRACE_ID, testContext } from '../support/test-context.ts';

const TRACE_ID = TEST_TRACE_ID;
const OTEL_TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const OTEL_SPAN_ID = 'b7ad6b7169203331';
const ctx = testContext({ agentSessionId: 'agentsess_1', delegationEdgeId: 'deledge_2', hop: 1, traceId: TRACE_ID, baggage: { tenant: 'acme' } });
const withOtelSpan = trace.setSpanContext(ROOT_CONTEXT, {
  traceId: OTEL_TRACE_ID,
  spanId: OTEL_SPAN_ID,
  traceFlags: 1,
  traceState: createTraceState('rojo=1'),
});

/** Counts every header write, so a second traceparent cannot hide behind an overwrite. */
function recordingSetter(): { setter: TextMapSetter<Record<string, string>>; writes: string[] } {
  const writes: string[] = [];
  return {
    writes,
    setter: {
      set(carrier, key, value) {
        writes.push(key);
        carrier[key] = value;
      },
    },
  };
}

describe('CaracalPropagator', () => {
  it('lists its fields', () => {
    expect(new CaracalPropagator().fields()).toEqual(['traceparent', 'tracestate', 'baggage']);
  });

  it('injects traceparent from the Caracal context when no OpenTelemetry span is there', () => {
    const carrier: Record<string, string> = {};
    new CaracalPropagator({ current: () => ctx }).inject(ROOT_CONTEXT, carrier, defaultTextMapSetter);
    expect(parseTraceparent(carrier.traceparent!)?.traceId).toBe(TRACE_ID);
    expect(carrier.baggage).toBe('caracal.agent_session=agentsess_1,caracal.delegation_edge=deledge_2,caracal.hop=1,tenant=acme');
  });

  it('writes nothing under suppressTracing, like the W3C propagators (Caracal already set the headers)', () => {
    const { setter, writes } = recordingSetter();
    new CaracalPropagator({ current: () => ctx }).inject(suppressTracing(ROOT_CONTEXT), {}, setter);
    new CaracalPropagator({ current: () => ctx }).inject(suppressTracing(withOtelSpan), {}, setter);
    expect(writes).toEqual([]);
  });

  it('injects traceparent and tracestate from the OpenTelemetry span context when there is one', () => {
    const carrier: Record<string, string> = {};
    new CaracalPropagator({ current: () => ctx }).inject(withOtelSpan, carrier, defaultTextMapSetter);
    expect(carrier.traceparent).toBe(`00-${OTEL_TRACE_ID}-${OTEL_SPAN_ID}-01`);
    expect(carrier.tracestate).toBe('rojo=1');
    expect(carrier.baggage).toContain('caracal.agent_session=agentsess_1');
  });

  it('does not add a second traceparent when one is already in the carrier', () => {
    const existing = `00-${OTEL_TRACE_ID}-${OTEL_SPAN_ID}-01`;
    for (const name of ['traceparent', 'Traceparent']) {
      const { setter, writes } = recordingSetter();
      const carrier: Record<string, string> = { [name]: existing };
      new CaracalPropagator({ current: () => ctx }).inject(withOtelSpan, carrier, setter);
      expect(writes).toEqual(['baggage']);
      expect(carrier[name]).toBe(existing);
    }
  });

  it('writes one traceparent after W3CTraceContextPropagator in a composite, and merges its baggage', () => {
    const composite = new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator(), new CaracalPropagator({ current: () => ctx })],
    });
    const context = propagation.setBaggage(withOtelSpan, propagation.createBaggage({ region: { value: 'eu west' } }));
    const { setter, writes } = recordingSetter();
    const carrier: Record<string, string> = {};
    composite.inject(context, carrier, setter);
    expect(writes.filter((key) => key === 'traceparent')).toHaveLength(1);
    expect(carrier.traceparent).toBe(`00-${OTEL_TRACE_ID}-${OTEL_SPAN_ID}-01`);
    expect(parseBaggage(carrier.baggage!)?.map(({ key, value }) => [key, value])).toEqual([
      ['caracal.agent_session', 'agentsess_1'],
      ['caracal.delegation_edge', 'deledge_2'],
      ['caracal.hop', '1'],
      ['region', 'eu west'],
      ['tenant', 'acme'],
    ]);
  });

  it('sees a traceparent already in a fetch Headers carrier', () => {
    const headers = new Headers({ traceparent: `00-${OTEL_TRACE_ID}-${OTEL_SPAN_ID}-01` });
    const setter: TextMapSetter<Headers> = { set: (carrier, key, value) => carrier.set(key, value) };
    new CaracalPropagator({ current: () => ctx }).inject(ROOT_CONTEXT, headers, setter);
    expect(headers.get('traceparent')).toBe(`00-${OTEL_TRACE_ID}-${OTEL_SPAN_ID}-01`);
    expect(headers.get('baggage')).toContain('caracal.hop=1');
  });

  it('uses a custom carrier getter during inject', () => {
    const { setter, writes } = recordingSetter();
    const propagator = new CaracalPropagator({ current: () => ctx, carrierGetter: { get: (_carrier, key) => (key === 'traceparent' ? 'x' : undefined), keys: () => [] } });
    propagator.inject(ROOT_CONTEXT, {}, setter);
    expect(writes).toEqual(['baggage']);
  });

  it('writes nothing without a span context, a Caracal context or a lineage', () => {
    const { setter, writes } = recordingSetter();
    new CaracalPropagator().inject(ROOT_CONTEXT, {}, setter);
    expect(writes).toEqual([]);
  });

  it('extracts the remote span context and the lineage', () => {
    const carrier = {
      traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01`,
      tracestate: 'rojo=1',
      baggage: 'caracal.agent_session=agentsess_1,caracal.hop=2,x=1',
    };
    const extracted = new CaracalPropagator().extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);
    const spanContext = trace.getSpanContext(extracted);
    expect(spanContext).toMatchObject({ traceId: TRACE_ID, spanId: '00f067aa0ba902b7', traceFlags: 1, isRemote: true });
    expect(spanContext?.traceState?.serialize()).toBe('rojo=1');
    expect(getCaracalLineage(extracted)).toMatchObject({ agentSessionId: 'agentsess_1', hop: 2, baggage: { x: '1' } });
    expect(extracted.getValue(CARACAL_LINEAGE_KEY)).toBe(getCaracalLineage(extracted));
  });

  it('leaves the context unchanged when the carrier holds no valid traceparent', () => {
    const propagator = new CaracalPropagator();
    expect(propagator.extract(ROOT_CONTEXT, {}, defaultTextMapGetter)).toBe(ROOT_CONTEXT);
    expect(propagator.extract(ROOT_CONTEXT, { traceparent: 'nope', baggage: 'caracal.hop=1' }, defaultTextMapGetter)).toBe(ROOT_CONTEXT);
  });

  it('forwards an extracted lineage when no Caracal context is bound', () => {
    const propagator = new CaracalPropagator();
    const incoming = propagator.extract(ROOT_CONTEXT, { traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01`, baggage: 'caracal.delegation_edge=deledge_9,caracal.hop=4' }, defaultTextMapGetter);
    const carrier: Record<string, string> = {};
    propagator.inject(incoming, carrier, defaultTextMapSetter);
    expect(carrier.traceparent).toBe(`00-${TRACE_ID}-00f067aa0ba902b7-01`);
    expect(carrier.baggage).toBe('caracal.delegation_edge=deledge_9,caracal.hop=4');
  });

  it('prefers the bound Caracal context over a lineage in the OpenTelemetry context', () => {
    const lineage = { traceId: TRACE_ID, spanId: '00f067aa0ba902b7', traceFlags: '01', hop: 7, baggage: {} };
    const carrier: Record<string, string> = {};
    new CaracalPropagator({ current: () => ctx }).inject(setCaracalLineage(ROOT_CONTEXT, lineage), carrier, defaultTextMapSetter);
    expect(carrier.baggage).toContain('caracal.hop=1');
  });
});

describe('activeOtelTraceId', () => {
  // A minimal AsyncLocalStorage context manager, so the test needs no OpenTelemetry SDK package.
  const storage = new AsyncLocalStorage<Context>();
  const manager: ContextManager = {
    active: () => storage.getStore() ?? ROOT_CONTEXT,
    with: (context, fn, thisArg, ...args) => storage.run(context, () => fn.call(thisArg, ...args)),
    bind: (_context, target) => target,
    enable() {
      return this;
    },
    disable() {
      return this;
    },
  };
  beforeAll(() => {
    otelContext.setGlobalContextManager(manager);
  });
  afterAll(() => {
    otelContext.disable();
  });

  it('is undefined without an active span', () => {
    expect(activeOtelTraceId()).toBeUndefined();
    expect(activeOtelTraceContext()).toBeUndefined();
  });

  it('reads the active span trace id, flags and tracestate', () => {
    otelContext.with(withOtelSpan, () => {
      expect(activeOtelTraceId()).toBe(OTEL_TRACE_ID);
      expect(activeOtelTraceContext()).toEqual({ traceId: OTEL_TRACE_ID, traceFlags: '01', traceState: 'rojo=1' });
    });
  });

  it('ignores an invalid span context', () => {
    const invalid = trace.setSpanContext(ROOT_CONTEXT, { traceId: '0'.repeat(32), spanId: OTEL_SPAN_ID, traceFlags: 1 });
    otelContext.with(invalid, () => expect(activeOtelTraceId()).toBeUndefined());
  });
});

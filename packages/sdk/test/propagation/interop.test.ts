import { baggageEntryMetadataFromString, createTraceState, defaultTextMapGetter, defaultTextMapSetter, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CaracalContext } from '../../src/model/caracal-context.ts';
import { extract, formatTracestate, inject, parseBaggage, parseTracestate } from '../../src/propagation/index.ts';
import { flagsArb, PROPERTY_TIMEOUT_MS, spanIdArb, traceIdArb, tracestateKeyArb } from './arbitraries.ts';

/**
 * Interop with OpenTelemetry's own W3C propagators, both ways. Two known differences are kept out
 * of the generators: OpenTelemetry percent-decodes baggage keys, while the spec makes keys tokens
 * that are never encoded, so keys here use characters both sides leave alone; and OpenTelemetry
 * stores members by plain assignment, which loses a `__proto__` member that we keep.
 */

const otel = new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] });
const KEY_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.!~*'".split('');
const keyArb = fc.string({ unit: fc.constantFrom(...KEY_CHARS), minLength: 1, maxLength: 12 }).filter((key) => !key.startsWith('caracal.') && key !== '__proto__');
const idArb = fc.string({ unit: 'binary', minLength: 1, maxLength: 24 });
const smallTracestateArb = fc.uniqueArray(
  fc.record({ key: tracestateKeyArb, value: fc.stringMatching(/^[a-zA-Z0-9_.:-]{1,12}$/) }),
  { minLength: 1, maxLength: 6, selector: (entry) => entry.key },
);

const contextArb: fc.Arbitrary<CaracalContext> = fc.record(
  {
    subjectToken: fc.constant('token'),
    zoneId: fc.constant('zone'),
    clientId: fc.constant('client'),
    agentSessionId: idArb,
    delegationEdgeId: idArb,
    parentEdgeId: idArb,
    traceId: traceIdArb,
    traceFlags: flagsArb,
    traceState: smallTracestateArb.map((entries) => formatTracestate(entries)!),
    hop: fc.integer({ min: 0, max: 32 }),
    baggage: fc.dictionary(keyArb, fc.string({ unit: 'binary', minLength: 1, maxLength: 16 }), { maxKeys: 4 }),
  },
  { requiredKeys: ['subjectToken', 'zoneId', 'clientId', 'traceId', 'hop'] },
);

function otelBaggageRecord(context: Context): Record<string, string> {
  return Object.fromEntries((propagation.getBaggage(context)?.getAllEntries() ?? []).map(([key, entry]) => [key, entry.value]));
}

describe('ours inject, OpenTelemetry extracts', () => {
  it('reads the same trace id, span id, flags, tracestate and baggage', { timeout: PROPERTY_TIMEOUT_MS }, () => {
    fc.assert(
      fc.property(contextArb, (ctx) => {
        const headers = inject(ctx, {});
        const ours = extract(headers)!;
        const extracted = otel.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
        const spanContext = trace.getSpanContext(extracted);
        expect(spanContext?.traceId).toBe(ctx.traceId);
        expect(spanContext?.spanId).toBe(ours.spanId);
        expect(spanContext?.traceFlags).toBe(Number.parseInt(ctx.traceFlags ?? '01', 16));
        expect(spanContext?.traceState?.serialize()).toBe(ctx.traceState);
        const expected: Record<string, string> = { ...ctx.baggage, 'caracal.hop': String(ctx.hop) };
        if (ctx.agentSessionId !== undefined) expected['caracal.agent_session'] = ctx.agentSessionId;
        if (ctx.delegationEdgeId !== undefined) expected['caracal.delegation_edge'] = ctx.delegationEdgeId;
        if (ctx.parentEdgeId !== undefined) expected['caracal.parent_edge'] = ctx.parentEdgeId;
        expect(otelBaggageRecord(extracted)).toEqual(expected);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('OpenTelemetry injects, ours extracts', () => {
  it('reads the same trace id, span id, flags, tracestate and baggage', { timeout: PROPERTY_TIMEOUT_MS }, () => {
    const entryArb = fc.record({
      value: fc.string({ unit: 'binary', minLength: 1, maxLength: 16 }),
      metadata: fc.option(fc.stringMatching(/^[a-z]{1,6}(=[a-z0-9]{1,6})?$/), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        traceIdArb,
        spanIdArb,
        fc.constantFrom(0, 1),
        fc.option(smallTracestateArb, { nil: undefined }),
        fc.dictionary(keyArb, entryArb, { minKeys: 1, maxKeys: 6 }),
        (traceId, spanId, traceFlags, tracestate, members) => {
          const traceState = tracestate === undefined ? undefined : createTraceState(formatTracestate(tracestate)!);
          let context = trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags, isRemote: false, ...(traceState ? { traceState } : {}) });
          const baggage = propagation.createBaggage(
            Object.fromEntries(
              Object.entries(members).map(([key, { value, metadata }]) => [
                key,
                metadata === undefined ? { value } : { value, metadata: baggageEntryMetadataFromString(metadata) },
              ]),
            ),
          );
          context = propagation.setBaggage(context, baggage);
          const headers: Record<string, string> = {};
          otel.inject(context, headers, defaultTextMapSetter);

          const lineage = extract(headers);
          expect(lineage).toMatchObject({ traceId, spanId, traceFlags: traceFlags === 1 ? '01' : '00' });
          if (tracestate === undefined) expect(lineage).not.toHaveProperty('traceState');
          else expect(parseTracestate(lineage!.traceState!)).toEqual(tracestate);
          expect(lineage?.baggage).toEqual(Object.fromEntries(Object.entries(members).map(([key, { value }]) => [key, value])));
          const properties = Object.fromEntries(parseBaggage(headers.baggage!)!.map((entry) => [entry.key, entry.properties]));
          expect(properties).toEqual(Object.fromEntries(Object.entries(members).map(([key, { metadata }]) => [key, metadata])));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('reads caracal members written through OpenTelemetry baggage', () => {
    const context = propagation.setBaggage(
      trace.setSpanContext(ROOT_CONTEXT, { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: 1 }),
      propagation.createBaggage({ 'caracal.agent_session': { value: 'agentsess_1' }, 'caracal.hop': { value: '3' }, other: { value: 'x y' } }),
    );
    const headers: Record<string, string> = {};
    otel.inject(context, headers, defaultTextMapSetter);
    expect(extract(headers)).toEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: '01',
      agentSessionId: 'agentsess_1',
      hop: 3,
      baggage: { other: 'x y' },
    });
  });
});

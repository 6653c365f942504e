import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CaracalContext } from '../../src/model/caracal-context.ts';
import { extract, formatBaggage, formatTraceparent, formatTracestate, inject, parseBaggage } from '../../src/propagation/index.ts';
import { baggageEntriesArb, PROPERTY_TIMEOUT_MS, traceparentArb, wireInput } from './arbitraries.ts';

/** Any UTF-16 code unit, lone surrogates included: what a careless caller can put in a string. */
const anyCodeUnits = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 24 });

describe('extract on hostile headers', () => {
  it('never throws and returns null or a lineage with valid trace fields', { timeout: PROPERTY_TIMEOUT_MS }, () => {
    const baggageText = baggageEntriesArb.map((entries) => formatBaggage(entries) ?? '');
    const headerValue = (valid: fc.Arbitrary<string>): fc.Arbitrary<string | string[] | undefined> =>
      fc.oneof(wireInput(valid), fc.array(wireInput(valid), { maxLength: 3 }), fc.constant(undefined));
    const headersArb = fc.record({
      traceparent: headerValue(traceparentArb),
      tracestate: headerValue(fc.constant('rojo=1,congo=2')),
      baggage: headerValue(baggageText.map((text) => `caracal.hop=3,${text}`)),
    });
    fc.assert(
      fc.property(headersArb, (headers) => {
        const lineage = extract(headers);
        if (lineage === null) return;
        expect(lineage.traceId).toMatch(/^(?!0{32})[0-9a-f]{32}$/);
        if (lineage.hop !== undefined) expect(lineage.hop).toBeLessThanOrEqual(32);
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('formatters and inject on careless input', () => {
  it('never throw, and what they write parses', { timeout: PROPERTY_TIMEOUT_MS }, () => {
    fc.assert(
      fc.property(anyCodeUnits, anyCodeUnits, anyCodeUnits, (key, value, other) => {
        formatTraceparent({ traceId: key, spanId: value, traceFlags: other });
        formatTracestate([{ key, value }]);
        const baggage = formatBaggage([{ key, value, properties: other }]);
        if (baggage !== null) expect(parseBaggage(baggage)).not.toBeNull();
        const ctx: CaracalContext = { subjectToken: 't', zoneId: 'z', clientId: 'c', agentSessionId: value, traceId: key, traceFlags: other, traceState: other, hop: 1, baggage: { [key]: value } };
        const lineage = extract(inject(ctx, {}));
        expect(lineage).not.toBeNull();
        // Lone surrogates cannot be UTF-8 encoded and come back as U+FFFD; everything else intact.
        if (!/[\uD800-\uDFFF]/.test(value)) expect(lineage?.agentSessionId).toBe(value === '' ? undefined : value);
      }),
      { numRuns: 20_000 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTraceparent, parseTraceparent, TRACEPARENT_LENGTH } from '../../src/propagation/index.ts';
import { flagsArb, NEVER_THROWS_RUNS, PROPERTY_TIMEOUT_MS, spanIdArb, traceIdArb, traceparentArb, wireInput } from './arbitraries.ts';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const VALID = `00-${TRACE_ID}-${SPAN_ID}-01`;

describe('parseTraceparent', () => {
  it('reads a version 00 value', () => {
    expect(parseTraceparent(VALID)).toEqual({ version: '00', traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: '01' });
    expect(VALID).toHaveLength(TRACEPARENT_LENGTH);
  });

  it('requires exactly 55 characters for version 00', () => {
    expect(parseTraceparent(VALID.slice(0, 54))).toBeNull();
    expect(parseTraceparent(`${VALID}-`)).toBeNull();
    expect(parseTraceparent(`${VALID}0`)).toBeNull();
    expect(parseTraceparent(`${VALID}-extra`)).toBeNull();
  });

  it('rejects version ff', () => {
    expect(parseTraceparent(`ff-${TRACE_ID}-${SPAN_ID}-01`)).toBeNull();
    expect(parseTraceparent(`ff-${TRACE_ID}-${SPAN_ID}-01-extra`)).toBeNull();
  });

  it('reads higher versions by their version 00 prefix', () => {
    const expected = { version: 'cc', traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: '09' };
    expect(parseTraceparent(`cc-${TRACE_ID}-${SPAN_ID}-09`)).toEqual(expected);
    expect(parseTraceparent(`cc-${TRACE_ID}-${SPAN_ID}-09-what-the-future-holds`)).toEqual(expected);
    expect(parseTraceparent(`01-${TRACE_ID}-${SPAN_ID}-09-`)).toEqual({ ...expected, version: '01' });
  });

  it('requires a dash or the end after the 55th character of a higher version', () => {
    expect(parseTraceparent(`cc-${TRACE_ID}-${SPAN_ID}-09x`)).toBeNull();
    expect(parseTraceparent(`cc-${TRACE_ID}-${SPAN_ID}-090`)).toBeNull();
    expect(parseTraceparent(`cc-${TRACE_ID}-${SPAN_ID}-0`)).toBeNull();
  });

  it('accepts only lowercase hex', () => {
    expect(parseTraceparent(VALID.toUpperCase())).toBeNull();
    expect(parseTraceparent(`00-${TRACE_ID.replace('b', 'B')}-${SPAN_ID}-01`)).toBeNull();
    expect(parseTraceparent(`00-${TRACE_ID}-${SPAN_ID.replace('f', 'F')}-01`)).toBeNull();
    expect(parseTraceparent(`00-${TRACE_ID}-${SPAN_ID}-0A`)).toBeNull();
    expect(parseTraceparent(`0A-${TRACE_ID}-${SPAN_ID}-01`)).toBeNull();
    expect(parseTraceparent(`00-${TRACE_ID.replace('4', 'g')}-${SPAN_ID}-01`)).toBeNull();
  });

  it('rejects all-zero trace and span ids', () => {
    expect(parseTraceparent(`00-${'0'.repeat(32)}-${SPAN_ID}-01`)).toBeNull();
    expect(parseTraceparent(`00-${TRACE_ID}-${'0'.repeat(16)}-01`)).toBeNull();
  });

  it('takes any two hex digits as flags', () => {
    for (const flags of ['00', '01', '02', '03', 'ff', '8a']) {
      expect(parseTraceparent(`00-${TRACE_ID}-${SPAN_ID}-${flags}`)?.traceFlags).toBe(flags);
    }
    expect(parseTraceparent(`00-${TRACE_ID}-${SPAN_ID}-1`)).toBeNull();
    expect(parseTraceparent(`00-${TRACE_ID}-${SPAN_ID}-x1`)).toBeNull();
  });

  it('requires dashes between the fields', () => {
    expect(parseTraceparent(VALID.replace(/-/, '_'))).toBeNull();
    expect(parseTraceparent(`00-${TRACE_ID}.${SPAN_ID}-01`)).toBeNull();
    expect(parseTraceparent(`00-${TRACE_ID}-${SPAN_ID}.01`)).toBeNull();
  });

  it('ignores spaces and tabs around the value (HTTP framing), nothing else', () => {
    expect(parseTraceparent(` ${VALID}\t`)?.traceId).toBe(TRACE_ID);
    expect(parseTraceparent(`\n${VALID}`)).toBeNull();
    expect(parseTraceparent(`00 -${TRACE_ID}-${SPAN_ID}-01`)).toBeNull();
  });

  it('returns null for non-strings instead of throwing', () => {
    expect(parseTraceparent(undefined as unknown as string)).toBeNull();
    expect(parseTraceparent(55 as unknown as string)).toBeNull();
    expect(parseTraceparent('')).toBeNull();
  });

  it('never throws and only returns valid fields, over 100,000 random and near-valid inputs', { timeout: PROPERTY_TIMEOUT_MS }, () => {
    fc.assert(
      fc.property(wireInput(traceparentArb), (input) => {
        const parsed = parseTraceparent(input);
        if (parsed === null) return;
        expect(parsed.traceId).toMatch(/^(?!0{32})[0-9a-f]{32}$/);
        expect(parsed.spanId).toMatch(/^(?!0{16})[0-9a-f]{16}$/);
        expect(parsed.traceFlags).toMatch(/^[0-9a-f]{2}$/);
        expect(parsed.version).not.toBe('ff');
      }),
      { numRuns: NEVER_THROWS_RUNS },
    );
  });
});

describe('formatTraceparent', () => {
  it('writes version 00 with flags 01 by default', () => {
    expect(formatTraceparent({ traceId: TRACE_ID, spanId: SPAN_ID })).toBe(VALID);
    expect(formatTraceparent({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: '00' })).toBe(`00-${TRACE_ID}-${SPAN_ID}-00`);
  });

  it('refuses to write an invalid header', () => {
    expect(formatTraceparent({ traceId: TRACE_ID.toUpperCase(), spanId: SPAN_ID })).toBeNull();
    expect(formatTraceparent({ traceId: '0'.repeat(32), spanId: SPAN_ID })).toBeNull();
    expect(formatTraceparent({ traceId: TRACE_ID, spanId: '0'.repeat(16) })).toBeNull();
    expect(formatTraceparent({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: '1' })).toBeNull();
  });

  it('round-trips through parseTraceparent', () => {
    fc.assert(
      fc.property(traceIdArb, spanIdArb, flagsArb, (traceId, spanId, traceFlags) => {
        const text = formatTraceparent({ traceId, spanId, traceFlags });
        expect(text).not.toBeNull();
        expect(parseTraceparent(text!)).toEqual({ version: '00', traceId, spanId, traceFlags });
      }),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { isValidSpanId, isValidTraceFlags, isValidTraceId, newSpanId, newTraceId } from '../../src/propagation/index.ts';

describe('ids', () => {
  it('mints valid, distinct trace and span ids across pool refills', () => {
    const traceIds = new Set<string>();
    const spanIds = new Set<string>();
    // Enough draws to cross several 8 KiB pool refills.
    for (let index = 0; index < 5000; index++) {
      const traceId = newTraceId();
      const spanId = newSpanId();
      expect(isValidTraceId(traceId)).toBe(true);
      expect(isValidSpanId(spanId)).toBe(true);
      traceIds.add(traceId);
      spanIds.add(spanId);
    }
    expect(traceIds.size).toBe(5000);
    expect(spanIds.size).toBe(5000);
  });

  it('validates ids and flags by the W3C rules', () => {
    expect(isValidTraceId('4bf92f3577b34da6a3ce929d0e0e4736')).toBe(true);
    expect(isValidTraceId('4BF92F3577B34DA6A3CE929D0E0E4736')).toBe(false);
    expect(isValidTraceId('0'.repeat(32))).toBe(false);
    expect(isValidTraceId('4bf92f3577b34da6a3ce929d0e0e473')).toBe(false);
    expect(isValidSpanId('00f067aa0ba902b7')).toBe(true);
    expect(isValidSpanId('0'.repeat(16))).toBe(false);
    expect(isValidSpanId(undefined as unknown as string)).toBe(false);
    expect(isValidTraceFlags('01')).toBe(true);
    expect(isValidTraceFlags('0G')).toBe(false);
    expect(isValidTraceFlags('001')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { bind, current, isCaracalError, MAX_HOP, type CaracalContext } from '../../src/index.ts';

const base: CaracalContext = { subjectToken: 'token', zoneId: 'zone_test', clientId: 'app_test', hop: 0 };

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isCaracalError(error) ? error.code : 'not a CaracalError';
  }
  return undefined;
}

describe('binding validates and freezes contexts', () => {
  it('accepts hops 0 through 32', () => {
    for (const hop of [0, 1, MAX_HOP]) expect(bind({ ...base, hop }, () => current()?.hop)).toBe(hop);
  });

  it('refuses hop 33 with HOP_LIMIT_EXCEEDED and malformed hops with INVALID_ARGUMENT', () => {
    expect(codeOf(() => bind({ ...base, hop: MAX_HOP + 1 }, () => 0))).toBe('HOP_LIMIT_EXCEEDED');
    for (const hop of [-1, 1.5, Number.NaN]) expect(codeOf(() => bind({ ...base, hop }, () => 0))).toBe('INVALID_ARGUMENT');
  });

  it('refuses missing identity fields and malformed trace fields', () => {
    expect(codeOf(() => bind({ ...base, subjectToken: '' }, () => 0))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => bind({ ...base, zoneId: undefined as unknown as string }, () => 0))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => bind({ ...base, traceId: 'XYZ' }, () => 0))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => bind({ ...base, traceId: '0'.repeat(32) }, () => 0))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => bind({ ...base, traceFlags: '1' }, () => 0))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => bind({ ...base, baggage: { key: 1 as unknown as string } }, () => 0))).toBe('INVALID_ARGUMENT');
  });

  it('binds a frozen copy and leaves the caller\'s object alone', () => {
    const mine = { ...base, baggage: { team: 'blue' } };
    const bound = bind(mine, () => current()) as CaracalContext;
    expect(Object.isFrozen(bound)).toBe(true);
    expect(Object.isFrozen(bound.baggage)).toBe(true);
    expect(Object.isFrozen(mine)).toBe(false);
    expect(bound).toEqual(mine);
    expect(() => {
      (bound as { hop: number }).hop = 5;
    }).toThrow(TypeError);
  });
});

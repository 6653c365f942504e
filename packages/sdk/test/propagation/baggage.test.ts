import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BAGGAGE_MAX_BYTES, BAGGAGE_MAX_MEMBERS, formatBaggage, parseBaggage } from '../../src/propagation/index.ts';
import type { BaggageEntry } from '../../src/propagation/index.ts';
import { baggageEntriesArb, baggageEntryArb, NEVER_THROWS_RUNS, PROPERTY_TIMEOUT_MS, wireInput } from './arbitraries.ts';

describe('parseBaggage', () => {
  it.each<[string, string, Array<{ key: string; value: string }>]>([
    ['reads members in order', 'userId=alice,serverNode=DF%2028,isProduction=false', [
      { key: 'userId', value: 'alice' },
      { key: 'serverNode', value: 'DF 28' },
      { key: 'isProduction', value: 'false' },
    ]],
    ['keeps a % that does not start an escape literally instead of failing', 'k=100%,j=%zz,i=%4', [
      { key: 'k', value: '100%' },
      { key: 'j', value: '%zz' },
      { key: 'i', value: '%4' },
    ]],
    ['does not decode keys (they are tokens)', 'a%41=1', [{ key: 'a%41', value: '1' }]],
  ])('%s', (_what, header, members) => {
    expect(parseBaggage(header)).toEqual(members);
  });

  it('percent-decodes values as UTF-8', () => {
    expect(parseBaggage('k=%F0%9F%98%80%20%c3%a9')).toEqual([{ key: 'k', value: '😀 é' }]);
    expect(parseBaggage('k=%2C%3B%25')).toEqual([{ key: 'k', value: ',;%' }]);
    expect(parseBaggage('k=%EF%BB%BFx')).toEqual([{ key: 'k', value: '\uFEFFx' }]);
  });

  it('replaces octets that are not UTF-8 with U+FFFD', () => {
    expect(parseBaggage('k=%FF')).toEqual([{ key: 'k', value: '\uFFFD' }]);
    expect(parseBaggage('k=a%C3')).toEqual([{ key: 'k', value: 'a\uFFFD' }]);
    expect(parseBaggage('k=%ED%A0%80')?.[0]?.value).toMatch(/^\uFFFD+$/);
  });


  it('keeps properties after ; raw', () => {
    expect(parseBaggage('k=v;ttl=30;internal, j=w ; a = b ; c')).toEqual([
      { key: 'k', value: 'v', properties: 'ttl=30;internal' },
      { key: 'j', value: 'w', properties: 'a = b ; c' },
    ]);
  });

  it('rejects malformed properties', () => {
    for (const header of ['k=v;', 'k=v;;a', 'k=v;=1', 'k=v;a=b c', 'k=v;a="b"']) expect(parseBaggage(header), header).toBeNull();
  });

  it('ignores spaces and tabs around members, = and ;, and tolerates empty members', () => {
    expect(parseBaggage(' \tk \t= \tv \t;\tp ,, ,j=w,')).toEqual([
      { key: 'k', value: 'v', properties: 'p' },
      { key: 'j', value: 'w' },
    ]);
    expect(parseBaggage('')).toEqual([]);
  });

  it('accepts empty values and rejects values with forbidden characters', () => {
    expect(parseBaggage('k=')).toEqual([{ key: 'k', value: '' }]);
    for (const header of ['k=a b', 'k="v"', 'k=a\\b', 'k=é']) expect(parseBaggage(header), header).toBeNull();
  });

  it('rejects keys that are not tokens and members without =', () => {
    for (const header of ['k(1)=v', '=v', 'k', 'a=1,b']) expect(parseBaggage(header), header).toBeNull();
  });

  it('joins several header values into one list and keeps duplicate keys in order', () => {
    expect(parseBaggage(['a=1', 'b=2,a=3'])).toEqual([
      { key: 'a', value: '1' },
      { key: 'b', value: '2' },
      { key: 'a', value: '3' },
    ]);
  });

  it('keeps the first 64 members and drops the rest whole', () => {
    expect(BAGGAGE_MAX_MEMBERS).toBe(64);
    const list = Array.from({ length: 70 }, (_, index) => `k${index}=${index}`).join(',');
    const parsed = parseBaggage(list);
    expect(parsed).toHaveLength(64);
    expect(parsed?.at(-1)).toEqual({ key: 'k63', value: '63' });
  });

  it('keeps members up to 8192 bytes and drops the one that crosses, whole', () => {
    expect(BAGGAGE_MAX_BYTES).toBe(8192);
    const first = `a=${'x'.repeat(4094)}`; // 4096 bytes
    const second = `b=${'y'.repeat(4093)}`; // 4095 bytes: with the comma, exactly 8192
    expect(parseBaggage(`${first},${second}`)).toHaveLength(2);
    expect(parseBaggage(`${first},${second}y`)).toEqual([{ key: 'a', value: 'x'.repeat(4094) }]);
    expect(parseBaggage(`${first},${second},c=1`)).toHaveLength(2);
  });

  it('returns null for non-strings instead of throwing', () => {
    expect(parseBaggage(undefined as unknown as string)).toBeNull();
    expect(parseBaggage([null] as unknown as string[])).toBeNull();
  });

  it('never throws and returns well-formed members, over 100,000 random and near-valid inputs', { timeout: PROPERTY_TIMEOUT_MS }, () => {
    const valid = fc.array(baggageEntryArb, { maxLength: 4 }).map((entries) => formatBaggage(entries) ?? '');
    fc.assert(
      fc.property(wireInput(valid), (input) => {
        const parsed = parseBaggage(input);
        if (parsed === null) return;
        if (parsed.length > BAGGAGE_MAX_MEMBERS) throw new Error('too many members');
        for (const entry of parsed) if (typeof entry.key !== 'string' || typeof entry.value !== 'string') throw new Error('bad entry');
      }),
      { numRuns: NEVER_THROWS_RUNS },
    );
  });
});

describe('formatBaggage', () => {
  it('percent-encodes what the grammar forbids, and % itself', () => {
    expect(formatBaggage([{ key: 'k', value: 'a b,c;d"e\\f%g=h/é😀' }])).toBe('k=a%20b%2Cc%3Bd%22e%5Cf%25g=h/%C3%A9%F0%9F%98%80');
  });

  it('writes properties raw after ;', () => {
    expect(formatBaggage([{ key: 'k', value: 'v', properties: 'ttl=30;internal' }, { key: 'j', value: '' }])).toBe('k=v;ttl=30;internal,j=');
  });

  it('refuses keys that are not tokens and malformed properties', () => {
    expect(formatBaggage([{ key: 'a b', value: 'v' }])).toBeNull();
    expect(formatBaggage([{ key: '', value: 'v' }])).toBeNull();
    expect(formatBaggage([{ key: 'k', value: 'v', properties: ';x' }])).toBeNull();
  });

  it('drops members past 64 or 8192 bytes, whole', () => {
    const many = Array.from({ length: 70 }, (_, index) => ({ key: `k${index}`, value: 'v' }));
    expect(parseBaggage(formatBaggage(many)!)).toHaveLength(64);
    const big: BaggageEntry[] = [
      { key: 'a', value: 'x'.repeat(5000) },
      { key: 'b', value: 'y'.repeat(5000) },
    ];
    expect(formatBaggage(big)).toBe(`a=${'x'.repeat(5000)}`);
  });

  it('round-trips through parseBaggage', { timeout: PROPERTY_TIMEOUT_MS }, () => {
    fc.assert(
      fc.property(baggageEntriesArb, (entries) => {
        const text = formatBaggage(entries);
        expect(text).not.toBeNull();
        expect(parseBaggage(text!)).toEqual(entries);
      }),
      { numRuns: 2000 },
    );
  });
});

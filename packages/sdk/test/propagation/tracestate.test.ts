import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTracestate, isValidTracestate, parseTracestate, TRACESTATE_MAX_MEMBERS } from '../../src/propagation/index.ts';
import { NEVER_THROWS_RUNS, PROPERTY_TIMEOUT_MS, tracestateEntriesArb, wireInput } from './arbitraries.ts';

const members = (count: number): string => Array.from({ length: count }, (_, index) => `k${index}=v${index}`).join(',');

describe('parseTracestate', () => {
  it('reads list-members in order', () => {
    expect(parseTracestate('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE')).toEqual([
      { key: 'rojo', value: '00f067aa0ba902b7' },
      { key: 'congo', value: 't61rcWkgMzE' },
    ]);
  });

  it('accepts Level 2 keys: a lowercase letter or digit, then a-z 0-9 _ - * / @, up to 256 characters', () => {
    expect(parseTracestate('a0_-*/@=1')).toEqual([{ key: 'a0_-*/@', value: '1' }]);
    expect(parseTracestate('0abc=1')).toEqual([{ key: '0abc', value: '1' }]);
    expect(parseTracestate(`${'a'.repeat(256)}=1`)).toHaveLength(1);
    for (const header of [`${'a'.repeat(257)}=1`, 'Abc=1', 'ab.c=1', '=1', '_a=1', '@a=1']) expect(parseTracestate(header), header).toBeNull();
  });

  it('reads tenant@system keys as plain keys: no 241/14 split, 256 in all', () => {
    for (const key of ['0tenant@vendor', 'foo@', 'foo@@bar', 'foo@bar@baz', 't@0s', `${'t'.repeat(242)}@s`, `t@${'s'.repeat(15)}`, `${'t'.repeat(242)}@${'s'.repeat(13)}`]) {
      expect(parseTracestate(`${key}=1`), key).toEqual([{ key, value: '1' }]);
    }
    expect(parseTracestate(`${'t'.repeat(242)}@${'s'.repeat(14)}=1`)).toBeNull();
    expect(formatTracestate([{ key: 'foo@', value: '1' }])).toBe('foo@=1');
  });

  it('accepts values of printable ASCII without , and =, up to 256, not ending in a space', () => {
    expect(parseTracestate('k= a b!~')).toEqual([{ key: 'k', value: ' a b!~' }]);
    expect(parseTracestate(`k=${'v'.repeat(256)}`)).toHaveLength(1);
    for (const header of [
      `k=${'v'.repeat(257)}`,
      'k=',
      'k=a=b',
      'k=é',
      'k=a\u0001',
      'k',
    ]) expect(parseTracestate(header), header).toBeNull();
  });

  it('tolerates empty members and spaces or tabs around members', () => {
    expect(parseTracestate(' a=1 ,\t, ,b=2,')).toEqual([
      { key: 'a', value: '1' },
      { key: 'b', value: '2' },
    ]);
    expect(parseTracestate('')).toEqual([]);
    expect(parseTracestate(' , ')).toEqual([]);
    expect(parseTracestate('a =1')).toBeNull();
  });

  it('joins several header values into one list', () => {
    expect(parseTracestate(['a=1', 'b=2'])).toEqual([
      { key: 'a', value: '1' },
      { key: 'b', value: '2' },
    ]);
  });

  it('keeps the first member of a repeated key and drops the later ones, instead of the list', () => {
    expect(parseTracestate('a=1,b=2,a=3')).toEqual([
      { key: 'a', value: '1' },
      { key: 'b', value: '2' },
    ]);
    expect(parseTracestate(['a=1', 'a=1'])).toEqual([{ key: 'a', value: '1' }]);
    expect(isValidTracestate('a=1,a=2')).toBe(true);
  });

  it('counts repeated members against the 32-member limit, as they were sent', () => {
    expect(parseTracestate(`${members(31)},k0=again`)).toHaveLength(31);
    expect(parseTracestate(`${members(32)},k0=again`)).toBeNull();
  });

  it('accepts 32 members and discards 33 as a whole; empty members do not count', () => {
    expect(TRACESTATE_MAX_MEMBERS).toBe(32);
    expect(parseTracestate(members(32))).toHaveLength(32);
    expect(parseTracestate(`${members(32)},,,`)).toHaveLength(32);
    expect(parseTracestate(members(33))).toBeNull();
  });

  it('returns null for non-strings instead of throwing', () => {
    expect(parseTracestate(undefined as unknown as string)).toBeNull();
    expect(parseTracestate([1] as unknown as string[])).toBeNull();
  });

  it('never throws, and agrees with isValidTracestate, over 100,000 random and near-valid inputs', { timeout: PROPERTY_TIMEOUT_MS }, () => {
    const valid = tracestateEntriesArb.map((entries) => entries.map(({ key, value }) => `${key}=${value}`).join(' , '));
    fc.assert(
      fc.property(wireInput(valid), (input) => {
        const parsed = parseTracestate(input);
        if (isValidTracestate(input) !== (parsed !== null)) throw new Error(`disagree on ${JSON.stringify(input)}`);
      }),
      { numRuns: NEVER_THROWS_RUNS },
    );
  });
});

describe('formatTracestate', () => {
  it('joins members with commas', () => {
    expect(formatTracestate([{ key: 'rojo', value: '1' }, { key: 't@s', value: 'x y' }])).toBe('rojo=1,t@s=x y');
    expect(formatTracestate([])).toBe('');
  });

  it('refuses invalid keys, values, duplicates and more than 32 members', () => {
    expect(formatTracestate([{ key: 'Rojo', value: '1' }])).toBeNull();
    expect(formatTracestate([{ key: 'rojo', value: 'a,b' }])).toBeNull();
    expect(formatTracestate([{ key: 'rojo', value: 'a ' }])).toBeNull();
    expect(formatTracestate([{ key: 'a', value: '1' }, { key: 'a', value: '2' }])).toBeNull();
    const many = Array.from({ length: 33 }, (_, index) => ({ key: `k${index}`, value: 'v' }));
    expect(formatTracestate(many)).toBeNull();
    expect(formatTracestate(many.slice(0, 32))).not.toBeNull();
  });

  it('round-trips through parseTracestate', () => {
    fc.assert(
      fc.property(tracestateEntriesArb, (entries) => {
        const text = formatTracestate(entries);
        expect(text).not.toBeNull();
        expect(parseTracestate(text!)).toEqual(entries);
      }),
    );
  });
});

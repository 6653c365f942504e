import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPresentStreamEntry, readStreamEntries, readStreamReply } from '../src/index.ts';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('Redis stream replies', () => {
  const entries = [['1-0', ['a', '1', 'b', '2']]];

  it('reads RESP2 arrays and RESP3 maps, with text or byte strings', () => {
    expect(readStreamEntries(entries)).toEqual([{ id: '1-0', fields: { a: '1', b: '2' } }]);
    expect(readStreamEntries([[bytes('2-0'), [bytes('a'), bytes('x')]]])).toEqual([{ id: '2-0', fields: { a: 'x' } }]);
    expect(readStreamEntries([['3-0', { a: '1' }]])).toEqual([{ id: '3-0', fields: { a: '1' } }]);
    expect(readStreamEntries([['4-0', new Map([['a', '1']])]])).toEqual([{ id: '4-0', fields: { a: '1' } }]);
  });

  it('finds one stream in an XREAD / XREADGROUP reply', () => {
    expect(readStreamReply([['other', entries], ['key', entries]], 'key')).toHaveLength(1);
    expect(readStreamReply({ key: entries }, 'key')).toHaveLength(1);
    expect(readStreamReply(new Map([['key', entries]]), 'key')).toHaveLength(1);
    expect(readStreamReply([['other', entries]], 'key')).toEqual([]);
    expect(readStreamReply(null, 'key')).toEqual([]);
    expect(readStreamReply(undefined, 'key')).toEqual([]);
  });

  it('keeps an entry deleted while pending (to be acknowledged) without fields, and skips junk', () => {
    const read = readStreamEntries([42, ['only-id'], [null, []], ['5-0', null]]);
    expect(read).toEqual([{ id: 'only-id', fields: undefined }, { id: '5-0', fields: undefined }]);
    expect(read.filter(isPresentStreamEntry)).toEqual([]);
  });

  it('treats a field named __proto__ as data and freezes the fields', () => {
    const [entry] = readStreamEntries([['1-0', ['__proto__', 'x', 'a', '1']]]);
    expect(Object.getPrototypeOf(entry?.fields)).toBeNull();
    expect(entry?.fields?.['__proto__']).toBe('x');
    expect(Object.isFrozen(entry?.fields)).toBe(true);
  });

  it('never throws on arbitrary replies', () => {
    fc.assert(
      fc.property(fc.anything(), fc.string(), (reply, stream) => {
        readStreamEntries(reply);
        readStreamReply(reply, stream);
      }),
    );
  });
});

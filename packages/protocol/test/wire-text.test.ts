import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findIllFormedText, isWireText } from '../src/index.ts';

const anyUnit = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.constant('\u0000'),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)),
);

describe('wire text', () => {
  it('is exactly the text that survives UTF-8 and has no NUL', () => {
    fc.assert(
      fc.property(fc.string({ unit: anyUnit, maxLength: 30 }), (text) => {
        const survivesUtf8 = Buffer.from(text, 'utf8').toString('utf8') === text;
        expect(isWireText(text)).toBe(survivesUtf8 && !text.includes('\u0000'));
      }),
    );
    expect(isWireText('emoji 😀 and ü')).toBe(true);
    expect(isWireText('a\u0000b')).toBe(false);
    expect(isWireText('\ud83d')).toBe(false);
    expect(isWireText('\ude00x')).toBe(false);
  });

  it('names where the first bad string sits, in keys and values at any depth', () => {
    expect(findIllFormedText({ a: 'ok', b: [1, 'fine', { c: 'x\u0000' }] })).toBe('b[2].c');
    expect(findIllFormedText({ labels: { 'k\ud800': 'v' } })).toBe('labels (a key)');
    expect(findIllFormedText('\u0000')).toBe('');
    expect(findIllFormedText({ a: 'ok', n: null, t: true, x: 1 })).toBeUndefined();
    expect(findIllFormedText(undefined)).toBeUndefined();
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundJson, boundText, byteLength } from '../../src/timeline/bound-json.ts';
import { isSecretKey, redactSecrets, redactText } from '../../src/timeline/redact-secrets.ts';

describe('isSecretKey', () => {
  it.each(['authorization', 'Authorization', 'password', 'api_key', 'apiKey', 'x-api-key', 'X-Auth-Token', 'clientSecret', 'client_secret', 'accesstoken', 'refresh_token', 'cookie', 'private_key', 'db.password'])('%s is secret', (key) => {
    expect(isSecretKey(key)).toBe(true);
  });

  it.each(['query', 'max_tokens', 'tokenizer', 'author', 'keyword', 'page', 'secretary', 'description'])('%s is not', (key) => {
    expect(isSecretKey(key)).toBe(false);
  });
});

describe('redactSecrets / redactText', () => {
  it('replaces values under secret keys at any depth and tokens inside strings, leaving the rest', () => {
    const input = { q: 'find', headers: [{ Authorization: 'Bearer abc' }], deep: { a: { password: { nested: 1 } } }, note: 'token=abc123 and Bearer zz.yy', n: 3, ok: true, none: null };
    expect(redactSecrets(input)).toEqual({
      q: 'find',
      headers: [{ Authorization: '[redacted]' }],
      deep: { a: { password: '[redacted]' } },
      note: 'token=[redacted] and Bearer [redacted]',
      n: 3,
      ok: true,
      none: null,
    });
  });

  it('redacts secret-named pairs written as JSON inside text', () => {
    expect(redactText('{"user":"ann","password" : "hunter2","api_key":"k"}')).toBe('{"user":"ann","password" : "[redacted]","api_key":"[redacted]"}');
  });
});

describe('boundText', () => {
  it('keeps text that fits, and cuts the rest within the byte budget, on a character boundary, with a marker', () => {
    expect(boundText('short', 100)).toBe('short');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), fc.integer({ min: 40, max: 300 }), (text, maxBytes) => {
        const bounded = boundText(text, maxBytes);
        if (byteLength(text) <= maxBytes) expect(bounded).toBe(text);
        else {
          expect(byteLength(bounded)).toBeLessThanOrEqual(maxBytes);
          const match = /^([\s\S]*)…\[truncated (\d+) bytes\]$/.exec(bounded);
          expect(match).not.toBeNull();
          expect(text.startsWith(match![1]!)).toBe(true);
          expect(byteLength(match![1]!) + Number(match![2])).toBe(byteLength(text));
        }
      }),
    );
  });
});

describe('boundJson', () => {
  it('passes small values through as plain JSON and replaces large ones with a bounded preview', () => {
    expect(boundJson({ when: new Date(0), n: 1 }, 1000)).toEqual({ when: '1970-01-01T00:00:00.000Z', n: 1 });
    const large = boundJson({ text: 'a'.repeat(5000) }, 1000) as { _truncated: boolean; bytes: number; preview: string };
    expect(large).toMatchObject({ _truncated: true, bytes: 5011 });
    expect(byteLength(JSON.stringify(large))).toBeLessThanOrEqual(1000);
  });

  it('describes values JSON cannot carry instead of throwing', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(boundJson(cycle, 100)).toEqual({ _unserializable: true, type: 'object' });
    expect(boundJson(10n, 100)).toEqual({ _unserializable: true, type: 'bigint' });
  });
});

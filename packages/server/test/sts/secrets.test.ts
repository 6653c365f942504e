import { describe, expect, it } from 'vitest';
import { generateSecret, hashSecret, verifySecret } from '../../src/sts/secrets/secret-hash.ts';
import { SecretVerificationCache } from '../../src/sts/secrets/secret-verification-cache.ts';
import { testClock } from '../helpers/test-clock.ts';

describe('secret hashing', () => {
  it('hashes with scrypt and a per-secret salt, and verifies only the right secret', async () => {
    const secret = generateSecret();
    const [first, second] = await Promise.all([hashSecret(secret), hashSecret(secret)]);
    expect(first).toMatch(/^scrypt\$15\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(first).not.toBe(second);
    expect(await verifySecret(secret, first)).toBe(true);
    expect(await verifySecret(`${secret}x`, first)).toBe(false);
  }, 60_000);

  it('treats malformed or absurd hashes as a mismatch, never an error', async () => {
    for (const stored of ['', 'plain', 'scrypt$15$8$1$salt', 'bcrypt$1$2$3$4$5', 'scrypt$40$8$1$AAAA$AAAA', 'scrypt$15$8$1$AAAA$short']) {
      expect(await verifySecret('secret', stored)).toBe(false);
    }
  });
});

describe('SecretVerificationCache', () => {
  it('remembers a success for its TTL only, and misses once the stored hash changes', () => {
    const clock = testClock({ start: 0 });
    const cache = new SecretVerificationCache({ now: clock.now, ttlMilliseconds: 1_000 });
    cache.remember('hash-1', 'secret');
    expect(cache.has('hash-1', 'secret')).toBe(true);
    expect(cache.has('hash-1', 'other')).toBe(false);
    expect(cache.has('hash-2', 'secret')).toBe(false);
    clock.advance(1_000);
    expect(cache.has('hash-1', 'secret')).toBe(false);
  });

  it('stays bounded', () => {
    const cache = new SecretVerificationCache({ now: () => 0, maxEntries: 2 });
    cache.remember('h', 'a');
    cache.remember('h', 'b');
    cache.remember('h', 'c');
    expect([cache.has('h', 'a'), cache.has('h', 'b'), cache.has('h', 'c')]).toEqual([false, true, true]);
  });
});

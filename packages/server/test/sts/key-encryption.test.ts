import { describe, expect, it } from 'vitest';
import { createKeyCipher } from '../../src/sts/keys/key-encryption.ts';

describe('signing key encryption at rest', () => {
  const plaintext = new Uint8Array(Buffer.from('a private key in PKCS8'));

  it('round-trips under the same secret and associated data', () => {
    const cipher = createKeyCipher('secret');
    const sealed = cipher.encrypt(plaintext, 'key_1|zone_a');
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain(Buffer.from(plaintext).toString('base64url'));
    expect(cipher.decrypt(sealed, 'key_1|zone_a').toString()).toBe('a private key in PKCS8');
    expect(cipher.encrypt(plaintext, 'key_1|zone_a')).not.toBe(sealed);
  });

  it('refuses another secret, a swapped row (other associated data) and a tampered ciphertext', () => {
    const sealed = createKeyCipher('secret').encrypt(plaintext, 'key_1|zone_a');
    expect(() => createKeyCipher('other secret').decrypt(sealed, 'key_1|zone_a')).toThrow();
    expect(() => createKeyCipher('secret').decrypt(sealed, 'key_1|zone_b')).toThrow();
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0] = body[0]! ^ 1;
    parts[3] = body.toString('base64url');
    expect(() => createKeyCipher('secret').decrypt(parts.join('.'), 'key_1|zone_a')).toThrow();
  });
});

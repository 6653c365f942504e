import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';

/** Encrypts signing keys at rest (AES-256-GCM) under a key derived from the server secret. */
export interface KeyCipher {
  /** `associatedData` binds the ciphertext to its row (kid and zone), so rows cannot be swapped. */
  encrypt(plaintext: Uint8Array, associatedData: string): string;
  decrypt(ciphertext: string, associatedData: string): Buffer;
}

/**
 * HKDF-SHA256 turns the configured secret (any length, possibly a passphrase) into a 256-bit
 * AES key; the fixed salt and info keep this key distinct from any other use of the secret.
 */
export function createKeyCipher(secret: string, previousSecret?: string): KeyCipher {
  const current = secretCipher(secret);
  if (previousSecret === undefined) return current;
  // During a key-secret rotation a replica still on the old secret may store a key under it.
  const previous = secretCipher(previousSecret);
  return {
    encrypt: current.encrypt,
    decrypt(ciphertext, associatedData) {
      try {
        return current.decrypt(ciphertext, associatedData);
      } catch {
        return previous.decrypt(ciphertext, associatedData);
      }
    },
  };
}

function secretCipher(secret: string): KeyCipher {
  const key = Buffer.from(hkdfSync('sha256', secret, 'caracal-sts', 'zone signing key encryption v1', 32));
  return {
    encrypt(plaintext, associatedData) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(associatedData));
      const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
    },
    decrypt(ciphertext, associatedData) {
      const [version, iv, tag, body] = ciphertext.split('.');
      if (version !== VERSION || iv === undefined || tag === undefined || body === undefined) {
        throw new Error('caracal sts: unreadable signing key ciphertext');
      }
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(associatedData));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
    },
  };
}

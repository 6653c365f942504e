import type { Database } from '../../db/database.ts';
import { createKeyCipher } from './key-encryption.ts';
import { listStoredPrivateKeys, replacePrivateKeyCiphertext } from './key-repository.ts';
import { associatedData } from './zone-key-store.ts';

export interface KeySecretCheck {
  /** Keys that were under the previous secret and are now under the current one. */
  reencrypted: string[];
  /** Keys neither secret opens: the configured key secret is not the one they were stored with. */
  unreadable: string[];
}

/**
 * Run at start: every stored signing key must open with the key secret. Keys that open only with
 * the previous secret (`CARACAL_PREVIOUS_KEY_SECRET`) are re-encrypted under the current one, which
 * is how an operator rotates the key secret (docs/configuration.md).
 */
export async function checkKeySecret(database: Database, secrets: { current: string; previous: string | undefined }): Promise<KeySecretCheck> {
  const current = createKeyCipher(secrets.current);
  const previous = secrets.previous === undefined ? undefined : createKeyCipher(secrets.previous);
  const result: KeySecretCheck = { reencrypted: [], unreadable: [] };
  for (const key of await listStoredPrivateKeys(database)) {
    const data = associatedData(key.kid, key.zoneId);
    if (opens(() => current.decrypt(key.privateKeyCiphertext, data))) continue;
    const plaintext = previous === undefined ? undefined : tryDecrypt(() => previous.decrypt(key.privateKeyCiphertext, data));
    if (plaintext === undefined) {
      result.unreadable.push(key.kid);
      continue;
    }
    await replacePrivateKeyCiphertext(database, key.kid, key.privateKeyCiphertext, current.encrypt(plaintext, data));
    plaintext.fill(0);
    result.reencrypted.push(key.kid);
  }
  return result;
}

function opens(decrypt: () => Buffer): boolean {
  const plaintext = tryDecrypt(decrypt);
  plaintext?.fill(0);
  return plaintext !== undefined;
}

function tryDecrypt(decrypt: () => Buffer): Buffer | undefined {
  try {
    return decrypt();
  } catch {
    return undefined;
  }
}

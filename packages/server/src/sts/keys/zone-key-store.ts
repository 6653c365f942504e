import { webcrypto } from 'node:crypto';
import type { PublicJwk } from '@caracal/protocol';
import { exportJWK, generateKeyPair } from 'jose';
import type { Database, Queryable } from '../../db/database.ts';
import { perDatabase } from '../../db/per-database.ts';
import { notFound } from '../../http/server-error.ts';
import { newId } from '../../ids.ts';
import { createKeyCipher, type KeyCipher } from './key-encryption.ts';
import {
  deleteExpiredKeys,
  findActiveSigningKey,
  findVerificationKey,
  insertActiveKey,
  listPublishedKeys,
  lockZoneForKeyChange,
  retireActiveKey,
  type StoredSigningKey,
  type StoredVerificationKey,
} from './key-repository.ts';

type CryptoKey = webcrypto.CryptoKey;

/** A decrypted, ready-to-use signing key. */
export interface SigningKey {
  kid: string;
  zoneId: string;
  privateKey: CryptoKey;
  /** The zone's key version this key was loaded at. */
  keyVersion: number;
}

/** A public key that may verify mandates of `zoneId` until `notAfter` (null: no end yet). */
export interface VerificationKey {
  kid: string;
  zoneId: string;
  publicKey: CryptoKey;
  notAfter: number | null;
}

/** The outcome of a rotation. */
export interface Rotation {
  kid: string;
  retiredKid: string | undefined;
  /** When the retired key stops verifying, milliseconds since the epoch. */
  retiredNotAfter: number;
}

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
/** How long a verification key is trusted from memory before re-reading its row. */
const VERIFICATION_TTL_MILLISECONDS = 10_000;
/** Retired keys stay stored this long past their window, for forensics; then rotation drops them. */
const RETENTION_AFTER_RETIREMENT_MILLISECONDS = 24 * 3600 * 1000;

/**
 * Zone signing keys: created on first need, decrypted once and kept in memory, rotated with a
 * grace period.
 *
 * Cache coherence across replicas: the signing paths read the zone's `key_version` in the query
 * they run anyway and reload when it moved, so a rotation on any replica takes effect on the next
 * mint everywhere. Verification keys are re-read after 10 s (a retiring key learns its `not_after`
 * from the database); rotations in this process invalidate at once.
 */
export class ZoneKeyStore {
  readonly #database: Database;
  readonly #cipher: KeyCipher;
  readonly #signing = new Map<string, SigningKey>();
  readonly #signingLoads = new Map<string, Promise<SigningKey>>();
  readonly #verification = new Map<string, { key: VerificationKey; loadedAt: number }>();
  readonly #verificationLoads = new Map<string, Promise<VerificationKey | undefined>>();

  constructor(options: { database: Database; keyEncryptionSecret: string; previousKeyEncryptionSecret?: string | undefined }) {
    this.#database = options.database;
    this.#cipher = createKeyCipher(options.keyEncryptionSecret, options.previousKeyEncryptionSecret);
  }

  /**
   * The zone's signing key. `keyVersion` is the zone's version as just read from the database;
   * the cached key serves when it is at least that recent.
   */
  async signingKey(zoneId: string, options: { keyVersion: number; now: number }): Promise<SigningKey> {
    const cached = this.#signing.get(zoneId);
    if (cached !== undefined && options.keyVersion > 0 && cached.keyVersion >= options.keyVersion) return cached;
    let loading = this.#signingLoads.get(zoneId);
    if (loading === undefined) {
      loading = this.#loadSigningKey(zoneId, options.now).finally(() => this.#signingLoads.delete(zoneId));
      this.#signingLoads.set(zoneId, loading);
    }
    return loading;
  }

  /** The verification key for `kid`, from memory when recently read. */
  async verificationKey(kid: string, now: number): Promise<VerificationKey | undefined> {
    const cached = this.#verification.get(kid);
    if (cached !== undefined && now - cached.loadedAt < VERIFICATION_TTL_MILLISECONDS && now >= cached.loadedAt) return cached.key;
    let loading = this.#verificationLoads.get(kid);
    if (loading === undefined) {
      loading = this.#loadVerificationKey(kid, now).finally(() => this.#verificationLoads.delete(kid));
      this.#verificationLoads.set(kid, loading);
    }
    return loading;
  }

  /** The JWKS `keys` of a zone at `now` (creating its first key when needed); undefined for an unknown zone. */
  async publishedKeys(zoneId: string, now: number): Promise<PublicJwk[] | undefined> {
    let stored = await listPublishedKeys(this.#database, zoneId, new Date(now));
    if (stored.length === 0) {
      const created = await this.#database.transaction((transaction) => this.#ensureActiveKey(transaction, zoneId, now));
      if (created === undefined) return undefined;
      stored = await listPublishedKeys(this.#database, zoneId, new Date(now));
    }
    return stored.map(publishedKey);
  }

  /**
   * Replaces the zone's signing key. The old key keeps verifying (and stays in the JWKS) for
   * `graceSeconds`; undefined for an unknown zone.
   */
  async rotate(zoneId: string, options: { now: number; graceSeconds: number }): Promise<Rotation | undefined> {
    const retiredNotAfter = options.now + options.graceSeconds * 1000;
    const rotation = await this.#database.transaction(async (transaction) => {
      if ((await lockZoneForKeyChange(transaction, zoneId)) === undefined) return undefined;
      const retiredKid = await retireActiveKey(transaction, zoneId, new Date(retiredNotAfter));
      const created = await this.#createKey(transaction, zoneId, options.now);
      await deleteExpiredKeys(transaction, zoneId, new Date(options.now - RETENTION_AFTER_RETIREMENT_MILLISECONDS));
      return { kid: created.kid, retiredKid, retiredNotAfter };
    });
    this.invalidateZone(zoneId);
    return rotation;
  }

  /** Forgets everything cached for a zone (after a change made in this process). */
  invalidateZone(zoneId: string): void {
    this.#signing.delete(zoneId);
    for (const [kid, entry] of this.#verification) if (entry.key.zoneId === zoneId) this.#verification.delete(kid);
  }

  async #loadSigningKey(zoneId: string, now: number): Promise<SigningKey> {
    const stored =
      (await findActiveSigningKey(this.#database, zoneId)) ??
      (await this.#database.transaction((transaction) => this.#ensureActiveKey(transaction, zoneId, now)));
    if (stored === undefined) throw notFound(`zone ${zoneId} does not exist`);
    const pkcs8 = this.#cipher.decrypt(stored.privateKeyCiphertext, associatedData(stored.kid, stored.zoneId));
    const privateKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, ALGORITHM, false, ['sign']);
    pkcs8.fill(0);
    const key: SigningKey = { kid: stored.kid, zoneId, privateKey, keyVersion: stored.keyVersion };
    const cached = this.#signing.get(zoneId);
    if (cached === undefined || cached.keyVersion <= key.keyVersion) this.#signing.set(zoneId, key);
    return key;
  }

  async #loadVerificationKey(kid: string, now: number): Promise<VerificationKey | undefined> {
    const stored = await findVerificationKey(this.#database, kid);
    if (stored === undefined) {
      this.#verification.delete(kid);
      return undefined;
    }
    const { kty, crv, x, y } = stored.publicJwk;
    const publicKey = await webcrypto.subtle.importKey('jwk', { kty, crv, x, y }, ALGORITHM, false, ['verify']);
    const key: VerificationKey = { kid, zoneId: stored.zoneId, publicKey, notAfter: stored.notAfter };
    this.#verification.set(kid, { key, loadedAt: now });
    return key;
  }

  /** Inside a transaction: the zone's active key, created under the zone lock if missing. */
  async #ensureActiveKey(transaction: Queryable, zoneId: string, now: number): Promise<StoredSigningKey | undefined> {
    if ((await lockZoneForKeyChange(transaction, zoneId)) === undefined) return undefined;
    return (await findActiveSigningKey(transaction, zoneId)) ?? this.#createKey(transaction, zoneId, now);
  }

  async #createKey(transaction: Queryable, zoneId: string, now: number): Promise<StoredSigningKey> {
    const kid = newId('key', now);
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const pkcs8 = new Uint8Array(await webcrypto.subtle.exportKey('pkcs8', privateKey));
    const { kty, crv, x, y } = await exportJWK(publicKey);
    const privateKeyCiphertext = this.#cipher.encrypt(pkcs8, associatedData(kid, zoneId));
    pkcs8.fill(0);
    const keyVersion = await insertActiveKey(transaction, {
      kid,
      zoneId,
      publicJwk: { kty, crv, x, y },
      privateKeyCiphertext,
      createdAt: new Date(now),
    });
    return { kid, zoneId, privateKeyCiphertext, keyVersion };
  }
}

/** What a key's ciphertext is bound to: its kid and zone. */
export function associatedData(kid: string, zoneId: string): string {
  return `${kid}|${zoneId}`;
}

const storeOf = perDatabase<ZoneKeyStore>();

/**
 * The one key store of a database, shared by the STS routes and the Coordinator's mandate
 * verifier in the same process, so a rotation here is seen by both at once.
 */
export function zoneKeyStoreFor(
  database: Database,
  secrets: { keyEncryptionSecret: string; previousKeyEncryptionSecret?: string | undefined },
): ZoneKeyStore {
  return storeOf(database, () => new ZoneKeyStore({ database, ...secrets }));
}

/** A stored key as the JWKS shows it; a P-256 public key always has these members. */
function publishedKey({ kid, publicJwk }: StoredVerificationKey): PublicJwk {
  const { kty, crv, x, y } = publicJwk;
  if (kty === undefined || crv === undefined || x === undefined || y === undefined) throw new Error(`signing key ${kid} is not an EC public key`);
  return { kty, crv, x, y, kid, alg: 'ES256', use: 'sig' };
}

import type { JWK } from 'jose';
import type { Queryable } from '../../db/database.ts';

/** The zone's current signing key as stored (private part still encrypted). */
export interface StoredSigningKey {
  kid: string;
  zoneId: string;
  privateKeyCiphertext: string;
  keyVersion: number;
}

/** A key that may verify mandates: active, or retiring until `notAfter`. */
export interface StoredVerificationKey {
  kid: string;
  zoneId: string;
  publicJwk: JWK;
  status: 'active' | 'retiring';
  /** Milliseconds since the epoch, or null while the key is active. */
  notAfter: number | null;
}

interface SigningKeyRow {
  kid: string;
  zone_id: string;
  private_key_ciphertext: string;
  key_version: number;
}

interface VerificationKeyRow {
  kid: string;
  zone_id: string;
  public_jwk: JWK;
  status: 'active' | 'retiring';
  not_after: number | null;
}

const VERIFICATION_COLUMNS =
  'kid, zone_id, public_jwk, status, (extract(epoch FROM not_after) * 1000)::float8 AS not_after';

const toVerificationKey = (row: VerificationKeyRow): StoredVerificationKey => ({
  kid: row.kid,
  zoneId: row.zone_id,
  publicJwk: row.public_jwk,
  status: row.status,
  notAfter: row.not_after,
});

/** The active key of a zone with the zone's key version; undefined when it has none yet. */
export async function findActiveSigningKey(queryable: Queryable, zoneId: string): Promise<StoredSigningKey | undefined> {
  const { rows } = await queryable.query<SigningKeyRow>(
    `SELECT k.kid, k.zone_id, k.private_key_ciphertext, z.key_version
       FROM zones z JOIN zone_signing_keys k ON k.zone_id = z.id AND k.status = 'active'
      WHERE z.id = $1`,
    [zoneId],
  );
  const row = rows[0];
  return row === undefined
    ? undefined
    : { kid: row.kid, zoneId: row.zone_id, privateKeyCiphertext: row.private_key_ciphertext, keyVersion: row.key_version };
}

/** Locks the zone row for a key change; undefined when the zone does not exist. */
export async function lockZoneForKeyChange(queryable: Queryable, zoneId: string): Promise<{ keyVersion: number } | undefined> {
  const { rows } = await queryable.query<{ key_version: number }>('SELECT key_version FROM zones WHERE id = $1 FOR UPDATE', [zoneId]);
  return rows[0] === undefined ? undefined : { keyVersion: rows[0].key_version };
}

/** The zone's key version alone (for signing paths that have not read it yet). */
export async function readKeyVersion(queryable: Queryable, zoneId: string): Promise<number | undefined> {
  const { rows } = await queryable.query<{ key_version: number }>('SELECT key_version FROM zones WHERE id = $1', [zoneId]);
  return rows[0]?.key_version;
}

/** Moves the zone's active key to retiring (verifiable until `notAfter`); returns its kid. */
export async function retireActiveKey(queryable: Queryable, zoneId: string, notAfter: Date): Promise<string | undefined> {
  const { rows } = await queryable.query<{ kid: string }>(
    `UPDATE zone_signing_keys SET status = 'retiring', not_after = $2 WHERE zone_id = $1 AND status = 'active' RETURNING kid`,
    [zoneId, notAfter],
  );
  return rows[0]?.kid;
}

/** Stores a new active key and bumps the zone's key version; returns the new version. */
export async function insertActiveKey(
  queryable: Queryable,
  key: { kid: string; zoneId: string; publicJwk: JWK; privateKeyCiphertext: string; createdAt: Date },
): Promise<number> {
  await queryable.query(
    `INSERT INTO zone_signing_keys (kid, zone_id, public_jwk, private_key_ciphertext, status, created_at)
     VALUES ($1, $2, $3::jsonb, $4, 'active', $5)`,
    [key.kid, key.zoneId, JSON.stringify(key.publicJwk), key.privateKeyCiphertext, key.createdAt],
  );
  const { rows } = await queryable.query<{ key_version: number }>(
    'UPDATE zones SET key_version = key_version + 1 WHERE id = $1 RETURNING key_version',
    [key.zoneId],
  );
  return rows[0]!.key_version;
}

/** Drops keys whose verification window closed long ago (housekeeping at rotation). */
export async function deleteExpiredKeys(queryable: Queryable, zoneId: string, before: Date): Promise<void> {
  await queryable.query(`DELETE FROM zone_signing_keys WHERE zone_id = $1 AND status = 'retiring' AND not_after < $2`, [zoneId, before]);
}

/** One key by kid, whatever its zone. */
export async function findVerificationKey(queryable: Queryable, kid: string): Promise<StoredVerificationKey | undefined> {
  const { rows } = await queryable.query<VerificationKeyRow>(`SELECT ${VERIFICATION_COLUMNS} FROM zone_signing_keys WHERE kid = $1`, [kid]);
  return rows[0] === undefined ? undefined : toVerificationKey(rows[0]);
}

/** The keys a zone's JWKS publishes at `now`: the active one and those still retiring. */
export async function listPublishedKeys(queryable: Queryable, zoneId: string, now: Date): Promise<StoredVerificationKey[]> {
  const { rows } = await queryable.query<VerificationKeyRow>(
    `SELECT ${VERIFICATION_COLUMNS} FROM zone_signing_keys
      WHERE zone_id = $1 AND (status = 'active' OR not_after > $2)
      ORDER BY (status = 'active') DESC, created_at DESC, kid DESC`,
    [zoneId, now],
  );
  return rows.map(toVerificationKey);
}

/** A stored private key, for re-encryption under a new key secret. */
export interface StoredPrivateKey {
  kid: string;
  zoneId: string;
  privateKeyCiphertext: string;
}

/** Every stored signing key (active and retiring), oldest first. */
export async function listStoredPrivateKeys(queryable: Queryable): Promise<StoredPrivateKey[]> {
  const { rows } = await queryable.query<{ kid: string; zone_id: string; private_key_ciphertext: string }>(
    'SELECT kid, zone_id, private_key_ciphertext FROM zone_signing_keys ORDER BY created_at, kid',
  );
  return rows.map((row) => ({ kid: row.kid, zoneId: row.zone_id, privateKeyCiphertext: row.private_key_ciphertext }));
}

/** Swaps a key's ciphertext if nobody else did first (replicas may re-encrypt at the same time). */
export async function replacePrivateKeyCiphertext(queryable: Queryable, kid: string, from: string, to: string): Promise<void> {
  await queryable.query('UPDATE zone_signing_keys SET private_key_ciphertext = $3 WHERE kid = $1 AND private_key_ciphertext = $2', [kid, from, to]);
}

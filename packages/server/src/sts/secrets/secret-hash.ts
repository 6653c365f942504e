import { createHmac, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * scrypt cost for new hashes: N = 2^15, r = 8, p = 1 (32 MiB, tens of milliseconds). The
 * parameters travel inside each hash, so raising them later leaves old hashes verifiable.
 */
const LOG2_COST = 15;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

function derive(secret: string, salt: Buffer, options: { log2Cost: number; blockSize: number; parallelism: number }): Promise<Buffer> {
  const cost = 2 ** options.log2Cost;
  const scryptOptions: ScryptOptions = {
    N: cost,
    r: options.blockSize,
    p: options.parallelism,
    // Node's default ceiling (32 MiB) is exactly what N = 2^15, r = 8 needs; leave headroom.
    maxmem: 256 * cost * options.blockSize,
  };
  return new Promise((resolve, reject) => {
    // The async form runs on the libuv pool, so hashing never blocks the event loop.
    scrypt(secret, salt, KEY_LENGTH, scryptOptions, (error, key) => (error === null ? resolve(key) : reject(error)));
  });
}

/** Hashes a client secret for storage: `scrypt$15$8$1$<salt>$<hash>` (base64url parts). */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(secret, salt, { log2Cost: LOG2_COST, blockSize: BLOCK_SIZE, parallelism: PARALLELISM });
  return ['scrypt', LOG2_COST, BLOCK_SIZE, PARALLELISM, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Compares `secret` with a stored hash in constant time; false for any malformed hash. */
export async function verifySecret(secret: string, storedHash: string): Promise<boolean> {
  const parts = storedHash.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [log2Cost, blockSize, parallelism] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![log2Cost, blockSize, parallelism].every((value) => Number.isInteger(value) && value > 0) || log2Cost > 20) return false;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const expected = Buffer.from(parts[5]!, 'base64url');
  if (expected.length !== KEY_LENGTH) return false;
  const actual = await derive(secret, salt, { log2Cost, blockSize, parallelism });
  return timingSafeEqual(actual, expected);
}

/** A fresh client secret: 32 random bytes, base64url (43 characters). */
export function generateSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * A hash for an unknown client id, so a miss costs the same scrypt as a wrong secret and response
 * times do not reveal which client ids exist.
 */
let decoyHash: Promise<string> | undefined;
export function decoySecretHash(): Promise<string> {
  decoyHash ??= hashSecret(createHmac('sha256', randomBytes(32)).digest('base64url'));
  return decoyHash;
}

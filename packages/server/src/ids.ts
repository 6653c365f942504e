import { randomFillSync } from 'node:crypto';

/** The id prefixes of the wire contract (docs/decisions/2026-12-04-wire-conventions.md). */
export type IdPrefix = 'agentsess' | 'deledge' | 'inv' | 'svc' | 'key' | 'req' | 'run' | 'runner';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

function randomBytes(count: number): Buffer {
  if (poolOffset + count > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const slice = pool.subarray(poolOffset, poolOffset + count);
  poolOffset += count;
  return slice;
}

/**
 * `prefix_` + 10 characters of millisecond time + 16 random characters (80 bits), Crockford base32
 * lowercase. Ids sort by creation time, which keeps B-tree inserts at the right edge.
 */
export function newId(prefix: IdPrefix, now: number = Date.now()): string {
  let time = '';
  let remaining = now;
  for (let index = 0; index < 10; index += 1) {
    time = ALPHABET[remaining % 32]! + time;
    remaining = Math.floor(remaining / 32);
  }
  const random = randomBytes(10);
  let tail = '';
  // 10 bytes = 80 bits = 16 base32 characters, 5 bits at a time.
  let buffer = 0;
  let bits = 0;
  for (const byte of random) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      tail += ALPHABET[(buffer >> bits) & 31];
    }
    buffer &= (1 << bits) - 1;
  }
  return `${prefix}_${time}${tail}`;
}

const ID_PATTERN = /^[a-z]+_[0-9a-hjkmnp-tv-z]{26}$/;

/** True when `value` has the shape of a server-assigned id, whatever its prefix. */
export function hasIdShape(value: string): boolean {
  return ID_PATTERN.test(value);
}

/** True when `value` looks like an id with `prefix` (cheap shape check before touching SQL). */
export function isId(value: unknown, prefix: IdPrefix): value is string {
  return typeof value === 'string' && value.startsWith(`${prefix}_`) && ID_PATTERN.test(value);
}

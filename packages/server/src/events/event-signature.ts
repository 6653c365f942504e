import { createHmac, timingSafeEqual } from 'node:crypto';

/** The field that carries the signature; every other field is signed. */
export const SIGNATURE_FIELD = 'signature';

/**
 * The exact bytes that are signed: the topic, then every field except the signature sorted by
 * name, as a JSON array. JSON quoting keeps it unambiguous (no value can fake a separator), and
 * the topic is included so an entry cannot be replayed onto another stream.
 */
export function canonicalFieldString(topic: string, fields: Readonly<Record<string, string>>): string {
  const names = Object.keys(fields)
    .filter((name) => name !== SIGNATURE_FIELD)
    .sort();
  return JSON.stringify([topic, ...names.map((name) => [name, fields[name]])]);
}

/** HMAC-SHA256 (hex) of the canonical field string: the entry's origin signature. */
export function signEventFields(topic: string, fields: Readonly<Record<string, string>>, secret: string): string {
  return createHmac('sha256', secret).update(canonicalFieldString(topic, fields)).digest('hex');
}

/** True when the entry carries a signature made with `secret` over exactly these fields. */
export function verifyEventFields(topic: string, fields: Readonly<Record<string, string>>, secret: string): boolean {
  const presented = fields[SIGNATURE_FIELD];
  if (typeof presented !== 'string' || !/^[0-9a-f]{64}$/.test(presented)) return false;
  const expected = Buffer.from(signEventFields(topic, fields, secret), 'hex');
  return timingSafeEqual(expected, Buffer.from(presented, 'hex'));
}

import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalFieldString, SIGNATURE_FIELD, SIGNATURE_PATTERN } from '@caracal/protocol';

export { canonicalFieldString, SIGNATURE_FIELD } from '@caracal/protocol';

/** HMAC-SHA256 (hex) of the canonical field string: the entry's origin signature. */
export function signEventFields(topic: string, fields: Readonly<Record<string, string>>, secret: string): string {
  return createHmac('sha256', secret).update(canonicalFieldString(topic, fields)).digest('hex');
}

/** True when the entry carries a signature made with `secret` over exactly these fields. */
export function verifyEventFields(topic: string, fields: Readonly<Record<string, string>>, secret: string): boolean {
  const presented = fields[SIGNATURE_FIELD];
  if (typeof presented !== 'string' || !SIGNATURE_PATTERN.test(presented)) return false;
  const expected = Buffer.from(signEventFields(topic, fields, secret), 'hex');
  return timingSafeEqual(expected, Buffer.from(presented, 'hex'));
}

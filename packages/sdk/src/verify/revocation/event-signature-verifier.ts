import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalFieldString, SIGNATURE_FIELD, SIGNATURE_PATTERN } from '@caracal/protocol';
import { CaracalError } from '../../errors.ts';
import type { RevocationEventFields } from './revocation-event.ts';

/**
 * A `verifyEvent` for Redis stream entries: checks the server's HMAC-SHA256 origin `signature`,
 * made over the topic and every other field sorted by name, as the JSON array
 * `[topic, [name, value], …]` (the wire contract's signing form, the server's own). Entries without a
 * valid signature are dropped. The SSE feed checks signatures server-side and sends none.
 * @param signingSecret - the server's event signing secret, shared with this receiver.
 * @example
 * redisRevocationSource({ client: redis, verifyEvent: eventSignatureVerifier(process.env.CARACAL_EVENT_SECRET!) });
 * @since 0.1.0
 */
export function eventSignatureVerifier(signingSecret: string): (fields: RevocationEventFields, topic: string | undefined) => boolean {
  if (typeof signingSecret !== 'string' || signingSecret.length === 0) {
    throw new CaracalError('CONFIG_INVALID', 'eventSignatureVerifier needs the signing secret.', { setting: 'signingSecret' });
  }
  return (fields, topic) => {
    const presented = fields[SIGNATURE_FIELD];
    if (topic === undefined || typeof presented !== 'string' || !SIGNATURE_PATTERN.test(presented)) return false;
    const expected = createHmac('sha256', signingSecret).update(canonicalFieldString(topic, fields)).digest();
    return timingSafeEqual(expected, Buffer.from(presented, 'hex'));
  };
}

import { createHmac, timingSafeEqual } from 'node:crypto';
import { CaracalError } from '../../errors.ts';
import type { RevocationEventFields } from './revocation-event.ts';

/**
 * A `verifyEvent` for Redis stream entries: checks the server's HMAC-SHA256 origin `signature`,
 * made over the topic and every other field sorted by name, as the JSON array
 * `[topic, [name, value], …]` (the server's canonical form; a wire contract). Entries without a
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
    const presented = fields.signature;
    if (topic === undefined || typeof presented !== 'string' || !/^[0-9a-f]{64}$/.test(presented)) return false;
    const names = Object.keys(fields)
      .filter((name) => name !== 'signature')
      .sort();
    const canonical = JSON.stringify([topic, ...names.map((name) => [name, fields[name]])]);
    const expected = createHmac('sha256', signingSecret).update(canonical).digest();
    return timingSafeEqual(expected, Buffer.from(presented, 'hex'));
  };
}

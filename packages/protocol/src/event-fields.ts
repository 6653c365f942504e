/**
 * One event on the wire: flat string fields on a Redis stream entry (the SSE feed sends the same
 * names as a JSON object). Pure: the signing form below is what both the server's signer and the
 * SDK's `eventSignatureVerifier` feed to HMAC-SHA256, so their bytes cannot drift apart.
 * A type alias, not an interface, so it passes where a `Record<string, string>` of fields is taken.
 */
export type EventFields = {
  /** The outbox row id: the same event published twice carries the same one (dedupe key). */
  outbox_id: string;
  type: string;
  zone_id: string;
  /** The event's body as JSON text. */
  payload: string;
  /** ISO time of the state change. */
  occurred_at: string;
  /** Which publisher instance sent it. */
  published_by: string;
  /** HMAC-SHA256 (hex) of `canonicalFieldString(topic, fields)` under the event signing secret. */
  signature: string;
};

/** The field that carries the signature; every other field is signed. */
export const SIGNATURE_FIELD = 'signature';

/** A signature as it appears on the wire: 32 bytes in lower-case hex. */
export const SIGNATURE_PATTERN = /^[0-9a-f]{64}$/;

/**
 * The exact text that is signed: the topic, then every field except the signature sorted by
 * name, as a JSON array. JSON quoting keeps it unambiguous (no value can fake a separator), and
 * the topic is included so an entry cannot be replayed onto another stream.
 */
export function canonicalFieldString(topic: string, fields: Readonly<Record<string, unknown>>): string {
  const names = Object.keys(fields)
    .filter((name) => name !== SIGNATURE_FIELD)
    .sort();
  return JSON.stringify([topic, ...names.map((name) => [name, fields[name]])]);
}

import { boundJson, boundJsonObject, boundText, jsonText } from './bound-json.ts';
import { redactSecrets, redactText } from './redact-secrets.ts';

/**
 * Values the SDK reports on the agent's behalf (tool arguments and outcomes, a failure's message),
 * made safe to store: reduced to plain JSON, secrets redacted, then bounded. Redaction comes first
 * so a truncated preview never shows what it would have hidden.
 * @internal
 */

/** Plain JSON of `value` with secrets redacted, or a marker when JSON cannot carry it. */
function redactedJson(value: unknown): unknown {
  const text = jsonText(value);
  if (text === undefined) return { _unserializable: true, type: typeof value };
  return redactSecrets(JSON.parse(text) as unknown);
}

/** `value` redacted and bounded to `maxBytes` of JSON. */
export function reportableJson(value: unknown, maxBytes: number): unknown {
  if (value === undefined) return undefined;
  return boundJson(redactedJson(value), maxBytes);
}

/** An object `value` redacted and bounded, still an object (what `tool_input` must be). */
export function reportableObject(value: unknown, maxBytes: number): Record<string, unknown> {
  const redacted = redactedJson(value);
  const object = typeof redacted === 'object' && redacted !== null && !Array.isArray(redacted) ? (redacted as Record<string, unknown>) : { value: redacted };
  return boundJsonObject(object, maxBytes);
}

/** `text` with tokens redacted and bounded to `maxBytes`. */
export function reportableText(text: string, maxBytes: number): string {
  return boundText(redactText(text), maxBytes);
}

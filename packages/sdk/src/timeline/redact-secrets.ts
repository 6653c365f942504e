/**
 * Keeping credentials off the timeline: values under keys that name a secret are replaced, and
 * strings that look like a bearer token or a JWT are too, wherever they sit. Applied to what the
 * SDK reports on its own (tool arguments and outcomes, error messages), which it did not write.
 * @internal
 */

export const REDACTED = '[redacted]';

/** Words that, as a whole word of a key (`api_key`, `X-Auth-Token`, `clientSecret`), mark its value secret. */
const SECRET_WORDS = new Set(['authorization', 'auth', 'password', 'passwd', 'passphrase', 'secret', 'token', 'cookie', 'credential', 'credentials', 'bearer', 'jwt', 'apikey', 'privatekey', 'signature']);

/** Keys written as one word that are secrets (`apikey`, `accesstoken`). */
const SECRET_COMPOUNDS = /^(api|access|refresh|id|session|private|client|subject|actor)(key|token|secret)$/;

const BEARER = /\bbearer\s+[A-Za-z0-9._~+/-]+=*/gi;
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;

/** How deep redaction looks; deeper structure is replaced (the event would be bounded anyway). */
const MAX_DEPTH = 32;

function words(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}

/** Whether a key names a secret: `password`, `api_key`, `Authorization`, `clientSecret`, `x-auth-token`. */
export function isSecretKey(key: string): boolean {
  const parts = words(key);
  // Single words (`password`, `accesstoken`) and adjacent pairs (`api key`, `client secret`).
  const candidates = [...parts, ...parts.slice(1).map((word, index) => `${parts[index]}${word}`)];
  return candidates.some((word) => SECRET_WORDS.has(word) || SECRET_COMPOUNDS.test(word));
}

/** `"key": "value"` inside text (JSON a tool echoed, a message quoting a body). */
const QUOTED_PAIR = /"([^"\\]{1,64})"(\s*:\s*)"(?:[^"\\]|\\.)*"/g;
/** `key=value` inside text (query strings, environment listings). */
const ASSIGNMENT = /\b([A-Za-z][A-Za-z0-9_.-]{0,63})=([^\s&"',;]+)/g;

/** `text` with bearer tokens, JWTs, and the values of secret-named keys written in it replaced. */
export function redactText(text: string): string {
  return text
    .replace(BEARER, `Bearer ${REDACTED}`)
    .replace(JWT, REDACTED)
    .replace(QUOTED_PAIR, (pair, key: string, colon: string) => (isSecretKey(key) ? `"${key}"${colon}"${REDACTED}"` : pair))
    .replace(ASSIGNMENT, (pair, key: string) => (isSecretKey(key) ? `${key}=${REDACTED}` : pair));
}

/** A copy of a JSON-like value with secret keys' values and token-looking strings replaced. */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return REDACTED;
  if (Array.isArray(value)) return value.map((item: unknown) => redactSecrets(item, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    copy[key] = isSecretKey(key) ? REDACTED : redactSecrets(item, depth + 1);
  }
  return copy;
}

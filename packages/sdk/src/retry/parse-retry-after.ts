const DELAY_SECONDS = /^\d+$/;

/**
 * Reads a `Retry-After` header (RFC 9110 §10.2.3): a number of seconds or an HTTP-date.
 * Returns the wait in milliseconds (never negative), or `undefined` for a missing or malformed
 * value — a bad header from a server never throws.
 * @param nowMs - the current time, so HTTP-dates are read against an injected clock.
 * @example
 * parseRetryAfter('7', Date.now()); // 7000
 * @since 0.1.0
 */
export function parseRetryAfter(value: string | readonly string[] | undefined, nowMs: number): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value) as string | undefined;
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (DELAY_SECONDS.test(trimmed)) return Number(trimmed) * 1000;
  // HTTP-dates always name a weekday and GMT; Date.parse alone accepts far looser text.
  if (!/GMT$/.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

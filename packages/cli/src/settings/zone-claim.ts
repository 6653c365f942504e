/**
 * Reads the `zone_id` claim of a JWT without verifying it. The CLI only uses it to pick a default
 * zone for the URL path; the server verifies the token on every request, so trusting the payload
 * here grants nothing. Returns undefined for anything that is not a JWT with a string `zone_id`.
 */
export function readZoneClaim(token: string): string | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[1] === undefined || parts[1] === '') return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    if (typeof payload !== 'object' || payload === null) return undefined;
    const zone = (payload as { zone_id?: unknown }).zone_id;
    return typeof zone === 'string' && zone !== '' ? zone : undefined;
  } catch {
    return undefined;
  }
}

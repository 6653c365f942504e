/** What the console reads from an operator mandate: only for display and routing, never trusted. */
export interface MandateClaims {
  zoneId: string;
  /** Expiry in epoch seconds, when the mandate says. */
  expiresAt: number | undefined;
}

/**
 * Decodes a JWT's payload without verifying it: the server verifies every request, the console
 * only needs the zone to build its paths. `undefined` for anything that is not a mandate.
 */
export function decodeMandateClaims(token: string): MandateClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[1] === undefined || parts[1] === '') return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(base64UrlDecode(parts[1]));
  } catch {
    return undefined;
  }
  if (typeof payload !== 'object' || payload === null) return undefined;
  const { zone_id: zoneId, exp } = payload as { zone_id?: unknown; exp?: unknown };
  if (typeof zoneId !== 'string' || zoneId === '') return undefined;
  return { zoneId, expiresAt: typeof exp === 'number' ? exp : undefined };
}

/** True when the mandate's own expiry has passed (the server may still refuse earlier). */
export function isExpired(claims: MandateClaims, nowMs: number): boolean {
  return claims.expiresAt !== undefined && claims.expiresAt * 1000 <= nowMs;
}

function base64UrlDecode(segment: string): string {
  const base64 = segment.replaceAll('-', '+').replaceAll('_', '/');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

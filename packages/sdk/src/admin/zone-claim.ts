import { CaracalAdminError } from './admin-error.ts';

/**
 * The `zone_id` claim of a JWT, read without verifying it (the server verifies; the client only
 * needs to know which zone's paths to call). `atob`, not Buffer: this runs in browsers too.
 */
export function zoneClaimOf(token: string): string {
  const payload = token.split('.')[1];
  if (payload !== undefined) {
    try {
      const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '='));
      const claims = JSON.parse(json) as { zone_id?: unknown };
      if (typeof claims.zone_id === 'string' && claims.zone_id !== '') return claims.zone_id;
    } catch {
      // Not a JWT: the error below says what to do.
    }
  }
  throw new CaracalAdminError(0, 'invalid_token', 'the token carries no zone_id claim: pass zoneId to createAdminClient');
}

import { describe, expect, it } from 'vitest';
import { readZoneClaim } from '../../src/settings/zone-claim.ts';

const jwt = (payload: unknown): string => `eyJhbGciOiJFUzI1NiJ9.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.c2ln`;

describe('readZoneClaim', () => {
  it('reads zone_id from the payload without verifying', () => {
    expect(readZoneClaim(jwt({ zone_id: 'zone_dev', scope: 'agent:lifecycle' }))).toBe('zone_dev');
  });

  it('returns undefined for anything else', () => {
    for (const token of ['opaque', 'a.b', 'a.!!!.c', jwt({}), jwt({ zone_id: 7 }), jwt({ zone_id: '' }), jwt('zone'), jwt(null)]) {
      expect(readZoneClaim(token), token).toBeUndefined();
    }
  });
});

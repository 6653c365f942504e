import { describe, expect, it } from 'vitest';
import { decodeMandateClaims, isExpired } from '../src/auth/mandate-claims.ts';
import { clearToken, takeToken, TOKEN_STORAGE_KEY, type SignInWindow } from '../src/auth/token-store.ts';

function jwt(payload: unknown): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'ES256', typ: 'JWT' })}.${encode(payload)}.c2lnbmF0dXJl`;
}

function fakeWindow(hash: string, stored?: string): SignInWindow & { replaced: string[]; store: Map<string, string> } {
  const store = new Map<string, string>(stored === undefined ? [] : [[TOKEN_STORAGE_KEY, stored]]);
  const replaced: string[] = [];
  return {
    location: { hash, pathname: '/console/', search: '' },
    history: { replaceState: (_data, _unused, url) => replaced.push(String(url)) },
    sessionStorage: {
      getItem: (key) => store.get(key) ?? null,
      setItem: (key, value) => void store.set(key, value),
      removeItem: (key) => void store.delete(key),
    },
    replaced,
    store,
  };
}

describe('sign-in token handling', () => {
  it('takes the mandate from the fragment, stores it for the tab, and removes the fragment', () => {
    const token = jwt({ zone_id: 'zone_a', exp: 2_000_000_000 });
    const target = fakeWindow(`#token=${token}`);
    expect(takeToken(target)).toBe(token);
    expect(target.store.get(TOKEN_STORAGE_KEY)).toBe(token);
    expect(target.replaced).toEqual(['/console/']);
  });

  it('falls back to the stored mandate, and to nothing (the form) without one', () => {
    expect(takeToken(fakeWindow('', 'stored.token.here'))).toBe('stored.token.here');
    const empty = fakeWindow('#/sessions');
    expect(takeToken(empty)).toBeUndefined();
    expect(empty.replaced).toEqual([]);
  });

  it('forgets the mandate on sign-out', () => {
    const target = fakeWindow('', 'stored.token.here');
    clearToken(target);
    expect(takeToken(target)).toBeUndefined();
  });

  it('reads the zone and expiry from the payload, and refuses what is not a mandate', () => {
    expect(decodeMandateClaims(jwt({ zone_id: 'zone_a', exp: 100 }))).toEqual({ zoneId: 'zone_a', expiresAt: 100 });
    expect(decodeMandateClaims(jwt({ sub: 'x' }))).toBeUndefined();
    expect(decodeMandateClaims('not-a-jwt')).toBeUndefined();
    expect(decodeMandateClaims('a.%%%.c')).toBeUndefined();
    expect(decodeMandateClaims(`a.${Buffer.from('[1]').toString('base64url')}.c`)).toBeUndefined();
  });

  it('says a mandate past its exp is expired', () => {
    const claims = decodeMandateClaims(jwt({ zone_id: 'zone_a', exp: 100 }))!;
    expect(isExpired(claims, 99_000)).toBe(false);
    expect(isExpired(claims, 100_000)).toBe(true);
    expect(isExpired({ zoneId: 'z', expiresAt: undefined }, Date.now())).toBe(false);
  });
});

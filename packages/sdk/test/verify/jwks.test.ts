import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createVerifier, mandateRefusalReason, type Verifier, type VerifierOptions } from '../../src/verify/index.ts';
import { AUDIENCE, signingKey, startTestIssuer, ZONE, type TestIssuer } from './helpers/test-issuer.ts';

let issuer: TestIssuer;
let clock: number;
const verifiers: Verifier[] = [];

beforeEach(async () => {
  issuer = await startTestIssuer();
  clock = Date.now();
});

afterEach(async () => {
  for (const verifier of verifiers.splice(0)) await verifier.close();
  await issuer.close();
});

afterAll(async () => {
  for (const verifier of verifiers) await verifier.close();
});

function verifier(options: Partial<VerifierOptions> = {}): Verifier {
  // Time is injected, so TTL and cooldown are crossed without waiting.
  const created = createVerifier({ issuer: issuer.issuer, zoneId: ZONE, audience: AUDIENCE, now: () => clock, ...options });
  verifiers.push(created);
  return created;
}

describe('zone JWKS', () => {
  it('is fetched from the issuer\'s zone URL once and reused, even by concurrent first calls', async () => {
    const shared = verifier();
    const tokens = await Promise.all(Array.from({ length: 20 }, () => issuer.mint()));
    await Promise.all(tokens.slice(0, 10).map((token) => shared.verify(token)));
    for (const token of tokens.slice(10)) await shared.verify(token);
    expect(issuer.jwksFetches).toBe(1);
  });

  it('an unknown kid triggers exactly one refetch, after which the rotated key verifies', async () => {
    const shared = verifier({ jwksCooldownMs: 30_000 });
    await shared.verify(await issuer.mint());
    expect(issuer.jwksFetches).toBe(1);

    const rotated = await signingKey('key-2');
    issuer.published = [issuer.key, rotated];
    clock += 31_000;
    const { claims } = await shared.verify(await issuer.mint({}, { key: rotated }));
    expect(claims.zone_id).toBe(ZONE);
    expect(issuer.jwksFetches).toBe(2);
    // Known again: no further fetch.
    await shared.verify(await issuer.mint({}, { key: rotated }));
    expect(issuer.jwksFetches).toBe(2);
  });

  it('within the cooldown an unknown kid is refused without another fetch', async () => {
    const shared = verifier({ jwksCooldownMs: 30_000 });
    await shared.verify(await issuer.mint());
    const stranger = await signingKey('key-stranger');
    for (let attempt = 0; attempt < 5; attempt++) {
      const error = await shared.verify(await issuer.mint({}, { key: stranger })).catch((rejection: unknown) => rejection);
      expect(mandateRefusalReason(error)).toBe('unknown_key');
    }
    expect(issuer.jwksFetches).toBe(1);
  });

  it('refreshes in the background once the TTL passed, without holding up the request', async () => {
    const shared = verifier({ jwksTtlMs: 60_000 });
    await shared.verify(await issuer.mint());
    clock += 61_000;
    const fetched = new Promise<void>((resolve) => {
      const poll = (): void => (issuer.jwksFetches >= 2 ? resolve() : void setImmediate(poll));
      poll();
    });
    await shared.verify(await issuer.mint());
    await fetched;
    expect(issuer.jwksFetches).toBe(2);
  });

  it('keeps using the keys it has when a background refresh fails', async () => {
    const shared = verifier({ jwksTtlMs: 60_000 });
    await shared.verify(await issuer.mint());
    await issuer.close();
    clock += 61_000;
    const token = await issuer.mint();
    await expect(shared.verify(token)).resolves.toMatchObject({ token, claims: { zone_id: ZONE } });
    // The failed refresh did not drop the cached keys: a later call still verifies.
    const later = await issuer.mint();
    await expect(shared.verify(later)).resolves.toMatchObject({ token: later, claims: { zone_id: ZONE } });
    expect(issuer.jwksFetches).toBe(1);
    issuer = await startTestIssuer();
  });

  it('rejects with NETWORK_ERROR (not a mandate refusal) when the keys were never reachable', async () => {
    const unreachable = createVerifier({ issuer: 'http://127.0.0.1:1', zoneId: ZONE, audience: AUDIENCE, jwksTimeoutMs: 2000 });
    verifiers.push(unreachable);
    await expect(unreachable.verify(await issuer.mint())).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
  });

  it('uses an injected fetch', async () => {
    const requested: string[] = [];
    const shared = verifier({
      jwksUrl: 'https://keys.example/jwks',
      fetch: async (url) => {
        requested.push(url);
        return {
          ok: true,
          status: 200,
          headers: { get: () => null },
          body: null,
          json: async () => ({ keys: [issuer.key.publicJwk] }),
        };
      },
    });
    await shared.verify(await issuer.mint());
    expect(requested).toEqual(['https://keys.example/jwks']);
    expect(issuer.jwksFetches).toBe(0);
  });
});

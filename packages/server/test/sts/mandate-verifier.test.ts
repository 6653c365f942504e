import { createPublicKey } from 'node:crypto';
import { SignJWT, decodeProtectedHeader } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { zoneKeyStoreFor } from '../../src/sts/keys/zone-key-store.ts';
import type { MandateClaims } from '@caracal/protocol';
import { signMandate } from '../../src/sts/mandates/sign-mandate.ts';
import { testBackends } from '../helpers/backends.ts';
import { TOOLS_RESOURCE, bootstrapZone, buildStsTestApp, decodeClaims, injectTokenRequest, type ZoneFixture } from '../helpers/sts-fixtures.ts';
import { useStsSuite } from '../helpers/sts-suite.ts';

const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

describe.each(testBackends())('mandate verification on $name', (backend) => {
  const suite = useStsSuite(backend);
  let otherZone: ZoneFixture;
  beforeAll(async () => {
    otherZone = await bootstrapZone(suite.sts);
  });
  const application = () => suite.zone.applications.orchestrator!;

  const keyStore = () => zoneKeyStoreFor(suite.sts.context.database, { keyEncryptionSecret: 'test-key-secret' });
  const signingKey = (zoneId: string) => keyStore().signingKey(zoneId, { keyVersion: 0, now: suite.sts.clock.now() });
  const verify = (token: string) => suite.sts.context.tokenVerifier.verifyAccessToken(token);

  const sessionToken = async (): Promise<string> => {
    const answer = await injectTokenRequest(suite.sts.app, { grant_type: 'client_credentials', client_id: application().id, client_secret: application().secret });
    expect(answer.status).toBe(200);
    return answer.body.access_token as string;
  };

  const claims = (overrides: Partial<MandateClaims> = {}): MandateClaims => {
    const now = Math.floor(suite.sts.clock.now() / 1000);
    return {
      iss: suite.sts.issuer,
      sub: application().id,
      aud: suite.sts.issuer,
      exp: now + 600,
      iat: now,
      nbf: now,
      jti: `jti-${Math.random()}`,
      client_id: application().id,
      zone_id: suite.zone.zoneId,
      scope: 'agent:lifecycle',
      use: 'session',
      ...overrides,
    };
  };

  const expectRefused = async (token: string, pattern: RegExp) => {
    await expect(verify(token)).rejects.toMatchObject({ statusCode: 401, code: 'invalid_token', message: expect.stringMatching(pattern) });
  };

  it('accepts a session mandate it signed, as a Principal', async () => {
    const principal = await verify(await signMandate(await signingKey(suite.zone.zoneId), claims()));
    expect(principal).toMatchObject({ clientId: application().id, zoneId: suite.zone.zoneId, use: 'session', admin: false });
  });

  it('refuses alg none', async () => {
    const { kid } = decodeProtectedHeader(await sessionToken());
    const token = `${base64url({ alg: 'none', typ: 'at+jwt', kid })}.${base64url(claims())}.`;
    await expectRefused(token, /ES256|malformed/);
  });

  it('refuses HS256 signed with the zone public key as the HMAC secret', async () => {
    const key = await signingKey(suite.zone.zoneId);
    const jwks = (await suite.sts.app.inject({ method: 'GET', url: `/.well-known/jwks.json?zone_id=${suite.zone.zoneId}` })).json() as { keys: Array<Record<string, string>> };
    const publicJwk = jwks.keys.find((candidate) => candidate.kid === key.kid)!;
    const pem = createPublicKey({ key: publicJwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    for (const secret of [Buffer.from(pem), Buffer.from(JSON.stringify(publicJwk))]) {
      const token = await new SignJWT({ ...claims() }).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: key.kid }).sign(new Uint8Array(secret));
      await expectRefused(token, /ES256/);
    }
  });

  it('refuses a mandate issued in the future (iat beyond the 10 s skew), as the SDK does', async () => {
    const key = await signingKey(suite.zone.zoneId);
    const now = Math.floor(suite.sts.clock.now() / 1000);
    await expectRefused(await signMandate(key, claims({ iat: now + 120 })), /issued in the future/);
    await expect(verify(await signMandate(key, claims({ iat: now + 5 })))).resolves.toBeDefined();
  });

  it('refuses an expired mandate and one not valid yet (beyond the 10 s skew)', async () => {
    const key = await signingKey(suite.zone.zoneId);
    const now = Math.floor(suite.sts.clock.now() / 1000);
    await expectRefused(await signMandate(key, claims({ iat: now - 700, nbf: now - 700, exp: now - 60 })), /expired/);
    await expectRefused(await signMandate(key, claims({ nbf: now + 120 })), /not valid yet/);
    // Inside the skew both still pass.
    await expect(verify(await signMandate(key, claims({ iat: now - 700, nbf: now - 700, exp: now - 5 })))).resolves.toBeDefined();
    const issued = await sessionToken();
    suite.sts.clock.advance(3600_000 + 11_000);
    try {
      await expectRefused(issued, /expired/);
    } finally {
      suite.sts.clock.advance(-(3600_000 + 11_000));
    }
  });

  it('refuses a wrong issuer and a wrong audience', async () => {
    const key = await signingKey(suite.zone.zoneId);
    await expectRefused(await signMandate(key, claims({ iss: 'https://evil.test' })), /another issuer/);
    await expectRefused(await signMandate(key, claims({ aud: TOOLS_RESOURCE })), /another audience/);
  });

  it("refuses a mandate claiming one zone but signed with another zone's key", async () => {
    const foreignKey = await signingKey(otherZone.zoneId);
    await expectRefused(await signMandate(foreignKey, claims({ zone_id: suite.zone.zoneId })), /zone does not match/);
  });

  it('refuses a per-call mandate (wrong use) and unknown uses', async () => {
    const token = await sessionToken();
    const call = await injectTokenRequest(suite.sts.app, {
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: token,
      subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      resource: TOOLS_RESOURCE,
    });
    const callToken = call.body.access_token as string;
    // Its audience is the resource, so make the use the only thing wrong:
    await expectRefused(await signMandate(await signingKey(suite.zone.zoneId), claims({ use: 'call' })), /call mandate is not accepted/);
    await expectRefused(callToken, /audience|call mandate/);
    await expectRefused(await signMandate(await signingKey(suite.zone.zoneId), claims({ use: 'root' as never })), /required claims/);
  });

  it('refuses a tampered payload, an unknown kid and a missing kid', async () => {
    const token = await sessionToken();
    const [header, , signature] = token.split('.') as [string, string, string];
    const widened = { ...decodeClaims(token), scope: 'agent:lifecycle caracal:admin' };
    await expectRefused(`${header}.${base64url(widened)}.${signature}`, /signature/);
    const unknownKid = await new SignJWT({ ...claims() })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'key_00000000000000000000000000' })
      .sign((await signingKey(suite.zone.zoneId)).privateKey);
    await expectRefused(unknownKid, /unknown key/);
    const noKid = await new SignJWT({ ...claims() }).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' }).sign((await signingKey(suite.zone.zoneId)).privateKey);
    await expectRefused(noKid, /kid/);
  });

  it('refuses a token with another typ', async () => {
    const key = await signingKey(suite.zone.zoneId);
    const token = await new SignJWT({ ...claims() }).setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: key.kid }).sign(key.privateKey);
    await expectRefused(token, /typ/);
  });

  it('accepts operator mandates from the admin API', async () => {
    const response = await suite.sts.app.inject({
      method: 'POST',
      url: `/admin/zones/${suite.zone.zoneId}/operator-token`,
      headers: { authorization: `Bearer ${suite.sts.adminToken}` },
      payload: { ttl_seconds: 600 },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json() as { access_token: string; expires_in: number; scope: string };
    expect(body).toMatchObject({ expires_in: 600, scope: 'agent:lifecycle caracal:admin', token_type: 'Bearer' });
    const principal = await verify(body.access_token);
    expect(principal).toMatchObject({ clientId: 'operator', zoneId: suite.zone.zoneId, use: 'operator', admin: true });
    expect(decodeClaims(body.access_token)).toMatchObject({ sub: 'operator', aud: suite.sts.issuer, use: 'operator' });
  });

  describe('key rotation', () => {
    it('old-key mandates verify during the grace period and fail after it', async () => {
      const rotating = await bootstrapZone(suite.sts, { applications: { rotor: { scopes: ['tools:read'] } } });
      const rotor = rotating.applications.rotor!;
      const mint = async () => {
        const answer = await injectTokenRequest(suite.sts.app, { grant_type: 'client_credentials', client_id: rotor.id, client_secret: rotor.secret });
        expect(answer.status).toBe(200);
        return answer.body.access_token as string;
      };
      const before = await mint();
      const oldKid = decodeProtectedHeader(before).kid;
      const rotation = await suite.sts.app.inject({
        method: 'POST',
        url: `/admin/zones/${rotating.zoneId}/keys/rotate`,
        headers: { authorization: `Bearer ${suite.sts.adminToken}` },
        payload: { grace_seconds: 600 },
      });
      expect(rotation.statusCode).toBe(200);
      const rotated = rotation.json() as { kid: string; retired_kid: string; retired_not_after: string };
      expect(rotated.retired_kid).toBe(oldKid);
      expect(Date.parse(rotated.retired_not_after)).toBe(suite.sts.clock.now() + 600_000);

      const after = await mint();
      expect(decodeProtectedHeader(after).kid).toBe(rotated.kid);
      await expect(verify(before)).resolves.toMatchObject({ clientId: rotor.id });
      const jwks = async () =>
        ((await suite.sts.app.inject({ method: 'GET', url: `/.well-known/jwks.json?zone_id=${rotating.zoneId}` })).json() as { keys: Array<{ kid: string }> }).keys.map(
          (key) => key.kid,
        );
      expect(await jwks()).toEqual([rotated.kid, oldKid]);

      suite.sts.clock.advance(599_000);
      await expect(verify(before)).resolves.toBeDefined();
      suite.sts.clock.advance(1_000);
      try {
        await expectRefused(before, /retired key/);
        await expect(verify(after)).resolves.toBeDefined();
        expect(await jwks()).toEqual([rotated.kid]);
        // An exchange presenting the old-key session mandate is refused too.
        const exchange = await injectTokenRequest(suite.sts.app, {
          grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
          subject_token: before,
          subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
          resource: TOOLS_RESOURCE,
        });
        expect(exchange.body.error).toBe('invalid_grant');
      } finally {
        suite.sts.clock.advance(-600_000);
      }
    });
  });
});

describe.each(testBackends().filter((backend) => backend.databaseUrl !== undefined))('key rotation across replicas on $name', (backend) => {
  it('a replica holding the old key in memory signs with the new key after another replica rotates', async () => {
    const first = await buildStsTestApp(backend);
    try {
      const zone = await bootstrapZone(first);
      // A second replica: its own database pool and key store, same schema.
      const { openDatabase } = await import('../../src/db/open-database.ts');
      const schemaRow = await first.context.database.query<{ schema: string }>('SELECT current_schema() AS schema');
      const secondDatabase = await openDatabase({ databaseUrl: backend.databaseUrl!, schema: schemaRow.rows[0]!.schema });
      try {
        const secondStore = zoneKeyStoreFor(secondDatabase, { keyEncryptionSecret: 'test-key-secret' });
        const { readKeyVersion } = await import('../../src/sts/keys/key-repository.ts');
        const versionBefore = (await readKeyVersion(secondDatabase, zone.zoneId)) ?? 0;
        const cachedBefore = await secondStore.signingKey(zone.zoneId, { keyVersion: versionBefore, now: Date.now() });
        const rotation = await first.app.inject({
          method: 'POST',
          url: `/admin/zones/${zone.zoneId}/keys/rotate`,
          headers: { authorization: `Bearer ${first.adminToken}` },
          payload: {},
        });
        const newKid = (rotation.json() as { kid: string }).kid;
        expect(newKid).not.toBe(cachedBefore.kid);
        const versionAfter = (await readKeyVersion(secondDatabase, zone.zoneId))!;
        const cachedAfter = await secondStore.signingKey(zone.zoneId, { keyVersion: versionAfter, now: Date.now() });
        expect(cachedAfter.kid).toBe(newKid);
      } finally {
        await secondDatabase.close();
      }
    } finally {
      await first.close();
    }
  });
});

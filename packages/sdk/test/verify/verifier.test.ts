import { base64url, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCaracalError } from '../../src/errors.ts';
import { createVerifier, mandateRefusalReason, type MandateRefusalReason, type Verifier, type VerifierOptions } from '../../src/verify/index.ts';
import { AUDIENCE, EDGE_LEAF, EDGE_ROOT, SESSION, signingKey, startTestIssuer, ZONE, type TestIssuer } from './helpers/test-issuer.ts';

let issuer: TestIssuer;
const verifiers: Verifier[] = [];

beforeAll(async () => {
  issuer = await startTestIssuer();
});

afterAll(async () => {
  for (const verifier of verifiers) await verifier.close();
  await issuer.close();
});

function verifier(options: Partial<VerifierOptions> = {}): Verifier {
  const created = createVerifier({ issuer: issuer.issuer, zoneId: ZONE, audience: AUDIENCE, ...options });
  verifiers.push(created);
  return created;
}

async function refusal(promise: Promise<unknown>): Promise<{ code: string; reason: MandateRefusalReason | undefined }> {
  const error = await promise.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  if (!isCaracalError(error)) throw new Error(`expected a CaracalError, got ${String(error)}`);
  return { code: error.code, reason: mandateRefusalReason(error) };
}

function unsigned(header: Record<string, unknown>, payload: Record<string, unknown>): string {
  const encode = (value: unknown): string => base64url.encode(JSON.stringify(value));
  return `${encode(header)}.${encode(payload)}.`;
}

const now = (): number => Math.floor(Date.now() / 1000);

describe('createVerifier().verify', () => {
  it('accepts a valid per-call mandate and returns its claims', async () => {
    const token = await issuer.mint();
    const { claims, token: verifiedToken } = await verifier().verify(token);
    expect(verifiedToken).toBe(token);
    expect(claims).toMatchObject({ zone_id: ZONE, client_id: 'app_caller', agent_session_id: SESSION, delegation_path: [EDGE_ROOT, EDGE_LEAF], hop_count: 2 });
    expect(Object.isFrozen(claims)).toBe(true);
  });

  const refusals: Array<[MandateRefusalReason, () => Promise<string>, Partial<VerifierOptions>?]> = [
    ['missing_token', async () => ''],
    ['malformed', async () => 'not-a-jwt'],
    ['malformed', async () => issuer.mint({}, { header: { typ: 'JWT' } })],
    ['malformed', async () => issuer.mint({ client_id: undefined })],
    ['malformed', async () => issuer.mint({ hop_count: 33 })],
    ['malformed', async () => issuer.mint({ delegation_path: [EDGE_ROOT, 'deledge_other'] })],
    ['unsupported_algorithm', async () => unsigned({ alg: 'none', typ: 'at+jwt' }, { iss: issuer.issuer, aud: AUDIENCE, exp: now() + 60 })],
    [
      'unsupported_algorithm',
      async () =>
        new SignJWT({ iss: issuer.issuer, aud: AUDIENCE, exp: now() + 60 })
          .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: 'key-1' })
          .sign(new TextEncoder().encode('a shared secret that must never be accepted')),
    ],
    ['bad_signature', async () => issuer.mint({}, { key: { ...(await signingKey('key-1')) } })],
    ['unknown_key', async () => issuer.mint({}, { key: await signingKey('key-unpublished') })],
    ['expired', async () => issuer.mint({ iat: now() - 600, nbf: now() - 600, exp: now() - 120 })],
    ['not_yet_valid', async () => issuer.mint({ nbf: now() + 600 })],
    ['not_yet_valid', async () => issuer.mint({ iat: now() + 600, nbf: undefined })],
    ['wrong_issuer', async () => issuer.mint({ iss: 'https://someone-else.example' })],
    ['wrong_audience', async () => issuer.mint({ aud: 'mcp://another-server' })],
    ['wrong_zone', async () => issuer.mint({ zone_id: 'zone_other' })],
    ['wrong_use', async () => issuer.mint({ use: 'session' })],
    ['insufficient_scope', async () => issuer.mint({ scope: 'tools:list' }), { requiredScopes: ['tools:call'] }],
    ['agent_required', async () => issuer.mint({ agent_session_id: undefined }), { requireAgent: true }],
    ['delegation_required', async () => issuer.mint({ delegation_edge_id: undefined, delegation_path: [] }), { requireDelegation: true }],
    ['hop_limit', async () => issuer.mint({ hop_count: 5 }), { maxHops: 4 }],
  ];

  it.each(refusals.map(([reason, token, options], index) => ({ reason, token, options, index })))(
    'refuses with MANDATE_INVALID $reason (case $index)',
    async ({ reason, token, options }) => {
      // The unknown key case refetches once; a short cooldown keeps the other cases independent.
      const result = await refusal(verifier({ jwksCooldownMs: 0, ...options }).verify(await token()));
      expect(result).toEqual({ code: 'MANDATE_INVALID', reason });
    },
  );

  it('accepts a mandate within the clock tolerance and refuses it past the tolerance', async () => {
    const token = await issuer.mint({ iat: now() - 100, nbf: now() - 100, exp: now() - 10 });
    await expect(verifier({ clockToleranceSeconds: 30 }).verify(token)).resolves.toBeDefined();
    expect(await refusal(verifier({ clockToleranceSeconds: 5 }).verify(await issuer.mint({ iat: now() - 100, nbf: now() - 100, exp: now() - 10 })))).toEqual({
      code: 'MANDATE_INVALID',
      reason: 'expired',
    });
  });

  it('evaluates time against the injected clock', async () => {
    const token = await issuer.mint();
    const later = (): number => Date.now() + 3_600_000;
    expect(await refusal(verifier({ now: later }).verify(token))).toEqual({ code: 'MANDATE_INVALID', reason: 'expired' });
  });

  it('carries the reason on serverCode too and states the status', async () => {
    const error = await verifier()
      .verify(await issuer.mint({ aud: 'mcp://elsewhere' }))
      .catch((rejection: unknown) => rejection);
    expect(error).toMatchObject({ code: 'MANDATE_INVALID', reason: 'wrong_audience', serverCode: 'wrong_audience', status: 401 });
  });

  it('accepts any of several audiences and an audience array in the token', async () => {
    const token = await issuer.mint({ aud: ['mcp://other', AUDIENCE] });
    await expect(verifier({ audience: ['https://unused', AUDIENCE] }).verify(token)).resolves.toBeDefined();
  });

  it('refuses a replayed one-shot mandate, even when presented concurrently', async () => {
    const shared = verifier();
    const token = await issuer.mint();
    const results = await Promise.allSettled([shared.verify(token), shared.verify(token), shared.verify(token)]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results.filter((settled) => settled.status === 'rejected')) {
      expect((result as PromiseRejectedResult).reason).toMatchObject({ code: 'MANDATE_REPLAYED' });
    }
    expect(await refusal(shared.verify(token))).toEqual({ code: 'MANDATE_REPLAYED', reason: undefined });
  });

  it('does not record a refused mandate as used', async () => {
    const shared = verifier({ requiredScopes: ['admin'] });
    const token = await issuer.mint();
    expect((await refusal(shared.verify(token))).reason).toBe('insufficient_scope');
    expect((await refusal(shared.verify(token))).reason).toBe('insufficient_scope');
  });

  it('lets session mandates (and call mandates with oneShot: false) be presented again', async () => {
    const sessions = verifier({ acceptedUses: ['session'] });
    const session = await issuer.mint({ use: 'session', scope: 'agent:lifecycle' });
    await sessions.verify(session);
    await expect(sessions.verify(session)).resolves.toMatchObject({ token: session, claims: { use: 'session', zone_id: ZONE } });

    const reusable = verifier({ oneShot: false });
    const call = await issuer.mint();
    await reusable.verify(call);
    await expect(reusable.verify(call)).resolves.toMatchObject({ token: call, claims: { zone_id: ZONE, agent_session_id: SESSION } });
  });

  it('merges per-call required scopes with the verifier ones', async () => {
    const shared = verifier({ requiredScopes: ['tools:list'] });
    const error = await shared.verify(await issuer.mint(), { requiredScopes: ['tools:write'] }).catch((rejection: unknown) => rejection);
    expect(error).toMatchObject({ reason: 'insufficient_scope', requiredScopes: ['tools:list', 'tools:write'] });
  });

  it('rejects configuration mistakes up front', () => {
    expect(() => createVerifier({ issuer: '', zoneId: ZONE, audience: AUDIENCE })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', setting: 'issuer' }));
    expect(() => createVerifier({ issuer: issuer.issuer, zoneId: ZONE, audience: [] })).toThrow(expect.objectContaining({ setting: 'audience' }));
    expect(() => createVerifier({ issuer: issuer.issuer, zoneId: ZONE, audience: AUDIENCE, maxHops: 40 })).toThrow(expect.objectContaining({ setting: 'maxHops' }));
  });
});

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testBackends } from '../helpers/backends.ts';
import { expectClientError } from '../helpers/client-error.ts';
import { TOKEN_EXCHANGE_GRANT, bootstrapZone, buildStsTestApp, injectTokenRequest, type StsTestApp } from '../helpers/sts-fixtures.ts';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 120_000 });

const PARAMETERS = [
  'grant_type',
  'client_id',
  'client_secret',
  'scope',
  'subject_token',
  'subject_token_type',
  'requested_token_type',
  'resource',
  'audience',
  'agent_session_id',
  'delegation_edge_id',
  'actor_token',
];

/**
 * No input ever produces a 5xx (docs/decisions/2026-12-04-wire-conventions.md): the STS routes
 * under random forms and bodies.
 */
describe.each(testBackends())('STS routes under malformed input on $name', (backend) => {
  let sts: StsTestApp;
  let sessionToken: string;

  beforeAll(async () => {
    sts = await buildStsTestApp(backend);
    const zone = await bootstrapZone(sts);
    const application = zone.applications.orchestrator!;
    sessionToken = (await injectTokenRequest(sts.app, { grant_type: 'client_credentials', client_id: application.id, client_secret: application.secret })).body
      .access_token as string;
  });
  afterAll(async () => sts.close());

  const value = () =>
    fc.oneof(
      fc.string(),
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.constantFrom('client_credentials', TOKEN_EXCHANGE_GRANT, 'urn:ietf:params:oauth:token-type:access_token', 'mcp://tools.test', 'agentsess_', 'deledge_x'),
      fc.constant('x'.repeat(5000)),
      fc.constant(''),
    );

  it('answers random token requests with 2xx or 4xx and the error shape', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.oneof(fc.constantFrom(...PARAMETERS), fc.string({ maxLength: 10 })), value(), { maxKeys: 8 }),
        fc.boolean(),
        async (form, withSubject) => {
          const answer = await injectTokenRequest(sts.app, { ...(withSubject ? { subject_token: sessionToken } : {}), ...form });
          expect(answer.status, JSON.stringify({ form, answer: answer.body })).toBeLessThan(500);
          if (answer.status >= 400) {
            expect(typeof answer.body.error).toBe('string');
            expect(typeof answer.body.error_description).toBe('string');
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('answers random raw bodies, content types and Basic headers with 4xx and the error shape', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 300 }),
        fc.constantFrom('application/x-www-form-urlencoded', 'application/json', 'text/plain', 'application/x-www-form-urlencoded; charset=utf-8'),
        fc.option(fc.string({ maxLength: 60 }).map((raw) => `Basic ${Buffer.from(raw).toString('base64')}`)),
        async (payload, contentType, authorization) => {
          const response = await sts.app.inject({
            method: 'POST',
            url: '/oauth/2/token',
            headers: { 'content-type': contentType, ...(authorization === null ? {} : { authorization }) },
            payload,
          });
          expectClientError({ status: response.statusCode, body: response.json() }, JSON.stringify({ payload, contentType, authorization }));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('answers random /v1/verify bodies with 200 (not valid) or 4xx and the error shape', async () => {
    let address = 0;
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (body) => {
        const response = await sts.app.inject({
          method: 'POST',
          url: '/v1/verify',
          remoteAddress: `10.9.${Math.floor(address / 250)}.${address++ % 250}`,
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify(body),
        });
        // No random value carries a mandate that verifies: a well-formed body is answered "not valid".
        if (response.statusCode === 200) {
          expect(response.json(), JSON.stringify(body)).toMatchObject({ valid: false, error: expect.any(String), message: expect.any(String) });
        } else {
          expect(response.statusCode, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
          expect(response.statusCode, JSON.stringify(body)).toBeLessThan(500);
          expect(response.json()).toEqual({ error: expect.any(String), error_description: expect.any(String) });
        }
      }),
      { numRuns: 200 },
    );
  });

  it('answers random JWKS and admin queries with a page or a 4xx and the error shape, never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 80 }), async (text) => {
        const encoded = encodeURIComponent(text);
        for (const url of [`/.well-known/jwks.json?zone_id=${encoded}`, `/admin/zones?limit=${encoded}&cursor=${encoded}`, `/admin/zones/${encoded || 'x'}/applications`]) {
          const response = await sts.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${sts.adminToken}` } });
          // Text that happens to be a valid limit, cursor or id gets a page; anything else a 4xx.
          if (response.statusCode === 200) expect(response.json(), url).toHaveProperty(url.startsWith('/.well-known/') ? 'keys' : 'items', expect.any(Array));
          else expectClientError({ status: response.statusCode, body: response.json() }, url);
        }
      }),
      { numRuns: 100 },
    );
  });
});

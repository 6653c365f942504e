import { decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { testBackends } from '../helpers/backends.ts';
import { decodeClaims, injectTokenRequest } from '../helpers/sts-fixtures.ts';
import { useStsSuite } from '../helpers/sts-suite.ts';

// PGlite start and scrypt are slow on a loaded machine; nothing here waits on wall time.
describe.each(testBackends())('client_credentials on $name', (backend) => {
  const suite = useStsSuite(backend, {
    zone: { applications: { orchestrator: { scopes: ['tools:call', 'files:read'] }, root: { scopes: ['tools:call'], admin: true } } },
  });
  const orchestrator = () => suite.zone.applications.orchestrator!;

  const withScope = (scope: string) =>
    injectTokenRequest(suite.sts.app, { grant_type: 'client_credentials', client_id: orchestrator().id, client_secret: orchestrator().secret, scope });
  const basic = (id: string, secret: string): string =>
    `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

  it('issues a session mandate for client_id + client_secret in the form', async () => {
    const answer = await injectTokenRequest(suite.sts.app, { grant_type: 'client_credentials', client_id: orchestrator().id, client_secret: orchestrator().secret });
    expect(answer.status).toBe(200);
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'agent:lifecycle tools:call files:read' });
    const token = answer.body.access_token as string;
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    expect(decodeProtectedHeader(token).kid).toMatch(/^key_/);
    const claims = decodeClaims(token);
    const now = Math.floor(suite.sts.clock.now() / 1000);
    expect(claims).toMatchObject({
      iss: suite.sts.issuer,
      sub: orchestrator().id,
      aud: suite.sts.issuer,
      client_id: orchestrator().id,
      zone_id: suite.zone.zoneId,
      use: 'session',
      iat: now,
      nbf: now,
      exp: now + 3600,
    });
    expect(typeof claims.jti).toBe('string');
    const principal = await suite.sts.context.tokenVerifier.verifyAccessToken(token);
    expect(principal).toMatchObject({ clientId: orchestrator().id, zoneId: suite.zone.zoneId, use: 'session', admin: false });
    expect([...principal.scopes]).toEqual(['agent:lifecycle', 'tools:call', 'files:read']);
  });

  it('accepts a charset parameter on the form content type', async () => {
    const response = await suite.sts.app.inject({
      method: 'POST',
      url: '/oauth/2/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' },
      payload: new URLSearchParams({ grant_type: 'client_credentials', client_id: orchestrator().id, client_secret: orchestrator().secret }).toString(),
    });
    expect(response.statusCode).toBe(200);
  });

  it('accepts HTTP Basic client authentication', async () => {
    const answer = await injectTokenRequest(suite.sts.app, { grant_type: 'client_credentials' }, { headers: { authorization: basic(orchestrator().id, orchestrator().secret) } });
    expect(answer.status).toBe(200);
    expect(decodeClaims(answer.body.access_token as string).client_id).toBe(orchestrator().id);
  });

  it('narrows to the requested scope and always keeps agent:lifecycle', async () => {
    const answer = await withScope('files:read');
    expect(answer.status).toBe(200);
    expect(answer.body.scope).toBe('agent:lifecycle files:read');
  });

  it('refuses a scope the application is not registered for (invalid_scope)', async () => {
    const answer = await withScope('tools:call caracal:admin');
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_scope');
  });

  it('gives admin applications caracal:admin', async () => {
    const root = suite.zone.applications.root!;
    const answer = await injectTokenRequest(suite.sts.app, { grant_type: 'client_credentials', client_id: root.id, client_secret: root.secret });
    expect(answer.body.scope).toBe('agent:lifecycle tools:call caracal:admin');
    const principal = await suite.sts.context.tokenVerifier.verifyAccessToken(answer.body.access_token as string);
    expect(principal.admin).toBe(true);
  });

  it('answers a wrong secret with 401 invalid_client and a Basic challenge', async () => {
    const answer = await injectTokenRequest(suite.sts.app, { grant_type: 'client_credentials' }, { headers: { authorization: basic(orchestrator().id, 'wrong') } });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ error: 'invalid_client', error_description: 'client authentication failed' });
    expect(answer.headers['www-authenticate']).toMatch(/^Basic realm="caracal"/);
  });

  it('answers an unknown client exactly like a wrong secret', async () => {
    const answer = await injectTokenRequest(suite.sts.app, { grant_type: 'client_credentials', client_id: 'app_nobody', client_secret: 'x' });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ error: 'invalid_client', error_description: 'client authentication failed' });
  });

  it('requires client authentication', async () => {
    const answer = await injectTokenRequest(suite.sts.app, { grant_type: 'client_credentials', client_id: orchestrator().id });
    expect(answer.status).toBe(401);
    expect(answer.body.error).toBe('invalid_client');
  });

  it('refuses two authentication methods at once (invalid_request)', async () => {
    const answer = await injectTokenRequest(
      suite.sts.app,
      { grant_type: 'client_credentials', client_secret: orchestrator().secret },
      { headers: { authorization: basic(orchestrator().id, orchestrator().secret) } },
    );
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_request');
  });

  it('refuses an unknown grant type (unsupported_grant_type)', async () => {
    const answer = await injectTokenRequest(suite.sts.app, { grant_type: 'password', client_id: orchestrator().id, client_secret: orchestrator().secret });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('unsupported_grant_type');
  });

  it('refuses a missing grant_type, a repeated parameter and a JSON body (invalid_request)', async () => {
    expect((await injectTokenRequest(suite.sts.app, { client_id: orchestrator().id })).body.error).toBe('invalid_request');
    const repeated = await suite.sts.app.inject({
      method: 'POST',
      url: '/oauth/2/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=client_credentials&grant_type=client_credentials',
    });
    expect(repeated.statusCode).toBe(400);
    expect(repeated.json()).toMatchObject({ error: 'invalid_request', error_description: 'parameter grant_type is repeated' });
    const json = await suite.sts.app.inject({ method: 'POST', url: '/oauth/2/token', payload: { grant_type: 'client_credentials' } });
    expect(json.statusCode).toBe(400);
    expect(json.json().error).toBe('invalid_request');
  });
});

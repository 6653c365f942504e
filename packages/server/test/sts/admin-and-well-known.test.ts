import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../helpers/backends.ts';
import { buildStsTestApp, injectTokenRequest, type StsTestApp } from '../helpers/sts-fixtures.ts';

describe.each(testBackends())('admin API and well-known documents on $name', (backend) => {
  let sts: StsTestApp;
  let disabled: StsTestApp;

  beforeAll(async () => {
    sts = await buildStsTestApp(backend);
    disabled = await buildStsTestApp(backend, { adminToken: null });
  });
  afterAll(async () => {
    await sts.close();
    await disabled.close();
  });

  const admin = async (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>, token = sts.adminToken) => {
    const response = await sts.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload === undefined ? {} : { payload }),
    });
    return { status: response.statusCode, body: response.json() as Record<string, unknown>, headers: response.headers };
  };

  describe('admin guard', () => {
    it('does not exist without a configured admin token', async () => {
      const response = await disabled.app.inject({ method: 'GET', url: '/admin/zones', headers: { authorization: 'Bearer anything' } });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ error: 'not_found', error_description: 'no route for GET /admin/zones' });
    });

    it('refuses a missing or wrong bearer with 401', async () => {
      expect((await sts.app.inject({ method: 'GET', url: '/admin/zones' })).statusCode).toBe(401);
      const wrong = await admin('GET', '/admin/zones', undefined, `${sts.adminToken}x`);
      expect(wrong.status).toBe(401);
      expect(wrong.body.error).toBe('invalid_token');
    });
  });

  describe('zones, applications and resources', () => {
    it('creates and lists zones with cursors; a duplicate id is 409', async () => {
      const created = await admin('POST', '/admin/zones', { id: 'zone_admin_a', name: 'A' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ id: 'zone_admin_a', name: 'A' });
      expect((await admin('POST', '/admin/zones', { id: 'zone_admin_b' })).status).toBe(201);
      expect((await admin('POST', '/admin/zones', { id: 'zone_admin_a' })).status).toBe(409);
      const generated = await admin('POST', '/admin/zones');
      expect(generated.body.id).toMatch(/^zone_[0-9a-f]{16}$/);
      const first = await admin('GET', '/admin/zones?limit=1');
      expect((first.body.items as unknown[]).length).toBe(1);
      expect(typeof first.body.next_cursor).toBe('string');
      const second = await admin('GET', `/admin/zones?limit=500&cursor=${first.body.next_cursor as string}`);
      const ids = (second.body.items as Array<{ id: string }>).map((zone) => zone.id);
      expect(ids).toContain('zone_admin_b');
      expect(second.body.next_cursor).toBeNull();
      expect((await admin('GET', '/admin/zones?limit=0')).status).toBe(400);
    });

    it('validates input: unknown fields, bad ids and bad scopes are 400', async () => {
      expect((await admin('POST', '/admin/zones', { id: 'has space' })).status).toBe(400);
      expect((await admin('POST', '/admin/zones', { id: 'zone_x', color: 'red' })).status).toBe(400);
      expect((await admin('POST', '/admin/zones/zone_admin_a/applications', { scopes: ['has space'] })).status).toBe(400);
      expect((await admin('POST', '/admin/zones/zone_admin_a/resources', { identifier: 'no-scheme', scopes: [] })).status).toBe(400);
    });

    it('shows the client secret once, stores only a scrypt hash, and the secret authenticates', async () => {
      const created = await admin('POST', '/admin/zones/zone_admin_a/applications', { id: 'app_admin_one', scopes: ['tools:read'] });
      expect(created.status).toBe(201);
      expect(created.headers['cache-control']).toBe('no-store');
      expect(created.body).toMatchObject({ id: 'app_admin_one', client_id: 'app_admin_one', zone_id: 'zone_admin_a', scopes: ['tools:read'], admin: false });
      const secret = created.body.client_secret as string;
      expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const stored = await sts.context.database.query<{ secret_hash: string }>('SELECT secret_hash FROM applications WHERE id = $1', ['app_admin_one']);
      expect(stored.rows[0]!.secret_hash).toMatch(/^scrypt\$15\$8\$1\$/);
      expect(stored.rows[0]!.secret_hash).not.toContain(secret);
      const listed = await admin('GET', '/admin/zones/zone_admin_a/applications');
      expect(JSON.stringify(listed.body)).not.toContain(secret);
      expect(JSON.stringify(listed.body)).not.toContain('secret');
      expect((await admin('POST', '/admin/zones/zone_admin_a/applications', { id: 'app_admin_one' })).status).toBe(409);
      const token = await injectTokenRequest(sts.app, { grant_type: 'client_credentials', client_id: 'app_admin_one', client_secret: secret });
      expect(token.status).toBe(200);
    });

    it('creates (201) then updates (200) resources and lists them', async () => {
      const created = await admin('POST', '/admin/zones/zone_admin_a/resources', { identifier: 'mcp://admin.test', scopes: ['a:read'] });
      expect(created.status).toBe(201);
      const updated = await admin('POST', '/admin/zones/zone_admin_a/resources', { id: 'mcp://admin.test', scopes: ['a:read', 'a:write'] });
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({ identifier: 'mcp://admin.test', scopes: ['a:read', 'a:write'] });
      const listed = await admin('GET', '/admin/zones/zone_admin_a/resources');
      expect(listed.body.items).toEqual([expect.objectContaining({ identifier: 'mcp://admin.test', scopes: ['a:read', 'a:write'] })]);
    });

    it('answers 404 for an unknown zone on every zone route', async () => {
      for (const [method, url] of [
        ['GET', '/admin/zones/zone_missing/applications'],
        ['POST', '/admin/zones/zone_missing/applications'],
        ['GET', '/admin/zones/zone_missing/resources'],
        ['POST', '/admin/zones/zone_missing/keys/rotate'],
        ['POST', '/admin/zones/zone_missing/operator-token'],
      ] as const) {
        const answer = await admin(method, url, method === 'POST' ? {} : undefined);
        expect(answer.status, url).toBe(404);
      }
      expect((await admin('POST', '/admin/zones/zone_missing/resources', { identifier: 'mcp://x.test', scopes: [] })).status).toBe(404);
    });
  });

  describe('keys at rest', () => {
    it('stores the private key encrypted (AES-256-GCM bound to kid and zone), never as PKCS8', async () => {
      await sts.app.inject({ method: 'GET', url: '/.well-known/jwks.json?zone_id=zone_admin_a' });
      const { rows } = await sts.context.database.query<{ kid: string; private_key_ciphertext: string; public_jwk: Record<string, unknown> }>(
        'SELECT kid, private_key_ciphertext, public_jwk FROM zone_signing_keys WHERE zone_id = $1',
        ['zone_admin_a'],
      );
      expect(rows.length).toBe(1);
      expect(rows[0]!.private_key_ciphertext).toMatch(/^v1\./);
      expect(rows[0]!.private_key_ciphertext).not.toContain('MIG');
      expect(rows[0]!.public_jwk).not.toHaveProperty('d');
    });
  });

  describe('JWKS and metadata', () => {
    it('publishes the zone keys with Cache-Control and an ETag that answers 304', async () => {
      const response = await sts.app.inject({ method: 'GET', url: '/.well-known/jwks.json?zone_id=zone_admin_b' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['cache-control']).toBe('public, max-age=60');
      const etag = response.headers.etag as string;
      expect(etag).toMatch(/^".+"$/);
      const { keys } = response.json() as { keys: Array<Record<string, string>> };
      expect(keys).toHaveLength(1);
      expect(keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
      expect(keys[0]!.kid).toMatch(/^key_/);
      expect(keys[0]).not.toHaveProperty('d');
      const again = await sts.app.inject({ method: 'GET', url: '/.well-known/jwks.json?zone_id=zone_admin_b', headers: { 'if-none-match': etag } });
      expect(again.statusCode).toBe(304);
    });

    it('requires zone_id and knows unknown zones', async () => {
      expect((await sts.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).statusCode).toBe(400);
      expect((await sts.app.inject({ method: 'GET', url: '/.well-known/jwks.json?zone_id=zone_nope' })).statusCode).toBe(404);
    });

    it('serves RFC 8414 metadata', async () => {
      const response = await sts.app.inject({ method: 'GET', url: '/.well-known/oauth-authorization-server?zone_id=zone_admin_a' });
      expect(response.json()).toMatchObject({
        issuer: sts.issuer,
        token_endpoint: `${sts.issuer}/oauth/2/token`,
        jwks_uri: `${sts.issuer}/.well-known/jwks.json?zone_id=zone_admin_a`,
        grant_types_supported: ['client_credentials', 'urn:ietf:params:oauth:grant-type:token-exchange'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
        response_types_supported: [],
      });
    });
  });
});

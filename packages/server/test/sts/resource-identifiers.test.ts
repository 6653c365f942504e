import { NAME_MAX_LENGTH, RESOURCE_MAX_LENGTH } from '@caracal/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../helpers/backends.ts';
import {
  bootstrapZone,
  buildStsTestApp,
  injectSessionToken,
  injectExchange,
  type StsTestApp,
  type ZoneFixture,
} from '../helpers/sts-fixtures.ts';

const longest = (prefix: string, length: number): string => `${prefix}${'r'.repeat(length - prefix.length)}`;

/** Resources are absolute URIs in printable ASCII of at most RESOURCE_MAX_LENGTH, wherever they are named. */
describe.each(testBackends())('resource identifiers and zone ids on $name', (backend) => {
  let sts: StsTestApp;
  let zone: ZoneFixture;

  beforeAll(async () => {
    sts = await buildStsTestApp(backend);
    zone = await bootstrapZone(sts);
  });
  afterAll(async () => sts.close());

  const admin = async (url: string, payload: Record<string, unknown>) => {
    const response = await sts.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${sts.adminToken}` }, payload });
    return { status: response.statusCode, body: response.json() as Record<string, unknown> };
  };
  const exchange = async (resource: string) =>
    injectExchange(sts.app, await injectSessionToken(sts.app, zone.applications.orchestrator!), {
      resource,
      scope: 'tools:read',
    });

  it('registers and exchanges for a resource of the longest allowed length; one character more is a 400', async () => {
    const resource = longest('mcp://long.test/', RESOURCE_MAX_LENGTH);
    expect((await admin(`/admin/zones/${zone.zoneId}/resources`, { identifier: resource, scopes: ['tools:read'] })).status).toBe(201);
    const exchanged = await exchange(resource);
    expect(exchanged.status, JSON.stringify(exchanged.body)).toBe(200);

    const tooLong = `${resource}r`;
    const registered = await admin(`/admin/zones/${zone.zoneId}/resources`, { identifier: tooLong, scopes: ['tools:read'] });
    expect(registered).toEqual({ status: 400, body: { error: 'invalid_request', error_description: expect.any(String) } });
    const refused = await exchange(tooLong);
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ error: 'invalid_target', error_description: expect.any(String) });
  });

  it('refuses resources that are not absolute URIs in printable ASCII, at registration and at exchange', async () => {
    for (const resource of ['tools.local', 'mcp://tools.test#part', 'mcp://tööls.test', 'mcp://tools test']) {
      expect((await admin(`/admin/zones/${zone.zoneId}/resources`, { identifier: resource, scopes: ['tools:read'] })).status, resource).toBe(400);
      expect((await exchange(resource)).body.error, resource).toBe('invalid_target');
    }
  });

  it('takes zone and application ids of the longest allowed length, and refuses one character more', async () => {
    const zoneId = longest('zone_', NAME_MAX_LENGTH);
    expect((await admin('/admin/zones', { id: zoneId })).status).toBe(201);
    expect((await admin('/admin/zones', { id: `${zoneId}z` })).status).toBe(400);
    expect((await admin(`/admin/zones/${zoneId}/applications`, { id: longest('app_', NAME_MAX_LENGTH) })).status).toBe(201);
    expect((await admin(`/admin/zones/${zoneId}/applications`, { id: longest('app_', NAME_MAX_LENGTH + 1) })).status).toBe(400);
  });
});

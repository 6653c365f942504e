import { describe, expect } from 'vitest';
import { applyBootstrap, type BootstrapDocument } from '../../src/sts/bootstrap.ts';
import { testBackends } from '../helpers/backends.ts';
import { serverTest } from '../helpers/fixtures.ts';
import { injectTokenRequest, type StsTestApp } from '../helpers/sts-fixtures.ts';

describe.each(testBackends())('applyBootstrap on $name', (backend) => {
  serverTest.override('backend', backend);

  const document = (secret: string, scopes = ['tools:call']): BootstrapDocument => ({
    zones: [
      {
        id: 'zone_boot',
        name: 'Boot',
        applications: [{ id: 'app_boot', secret, scopes }],
        resources: [{ id: 'mcp://boot.test', scopes: ['tools:call'] }],
      },
    ],
  });

  const login = (sts: StsTestApp, secret: string) =>
    injectTokenRequest(sts.app, { grant_type: 'client_credentials', client_id: 'app_boot', client_secret: secret });

  const snapshot = async (sts: StsTestApp) => {
    const zones = await sts.context.database.query("SELECT id, name, key_version FROM zones WHERE id = 'zone_boot'");
    const applications = await sts.context.database.query("SELECT id, zone_id, scopes, admin, secret_hash FROM applications WHERE id = 'app_boot'");
    const resources = await sts.context.database.query("SELECT identifier, scopes FROM resources WHERE zone_id = 'zone_boot'");
    return { zones: zones.rows, applications: applications.rows, resources: resources.rows };
  };

  serverTest('creates what is declared, and a second run changes nothing', async ({ sts }) => {
    await applyBootstrap(sts.context, document('first-secret'));
    const before = await snapshot(sts);
    expect(before.zones).toEqual([{ id: 'zone_boot', name: 'Boot', key_version: 0 }]);
    expect(before.resources).toEqual([{ identifier: 'mcp://boot.test', scopes: ['tools:call'] }]);
    expect((await login(sts, 'first-secret')).status).toBe(200);
    await applyBootstrap(sts.context, document('first-secret'));
    const after = await snapshot(sts);
    expect(after.applications).toEqual(before.applications);
    expect(after.resources).toEqual(before.resources);
  });

  serverTest('a changed secret replaces the hash: the declared secret works, the old one no longer does', async ({ sts }) => {
    await applyBootstrap(sts.context, document('second-secret', ['tools:call', 'tools:read']));
    expect((await login(sts, 'second-secret')).status).toBe(200);
    expect((await login(sts, 'first-secret')).status).toBe(401);
    expect((await snapshot(sts)).applications[0]).toMatchObject({ scopes: ['tools:call', 'tools:read'] });
  });

  serverTest('refuses an application id already used in another zone, and invalid documents', async ({ sts }) => {
    const moved: BootstrapDocument = { zones: [{ id: 'zone_elsewhere', applications: [{ id: 'app_boot', secret: 'x' }] }] };
    await expect(applyBootstrap(sts.context, moved)).rejects.toMatchObject({
      name: 'BootstrapError',
      path: 'zones[0].applications[0].id',
      message: 'bootstrap: zones[0].applications[0].id: application app_boot already belongs to zone zone_boot, not zone_elsewhere',
    });
    const twice: BootstrapDocument = { zones: [{ id: 'zone_one', applications: [{ id: 'app_twice', secret: 'x' }] }, { id: 'zone_two', applications: [{ id: 'app_twice', secret: 'x' }] }] };
    await expect(applyBootstrap(sts.context, twice)).rejects.toMatchObject({ name: 'BootstrapError', path: 'zones[1].applications[0].id' });
    // Refused before any write: the first zone of the document was not created either.
    expect((await sts.context.database.query("SELECT id FROM zones WHERE id = 'zone_one'")).rows).toEqual([]);
    await expect(applyBootstrap(sts.context, { zones: [{ id: 'bad zone' }] })).rejects.toThrow(/zones\[0\]\.id must be an id/);
    await expect(applyBootstrap(sts.context, { zones: [{ id: 'z', resources: [{ id: 'no-scheme', scopes: [] }] }] })).rejects.toThrow(/absolute URI/);
    await expect(applyBootstrap(sts.context, { zones: [{ id: 'z', applications: [{ id: 'a', secret: '' }] }] })).rejects.toThrow(/secret/);
  });
});

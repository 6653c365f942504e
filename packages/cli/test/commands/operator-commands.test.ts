import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { run } from '../../src/run.ts';
import { fakeIo } from '../helpers/fake-io.ts';
import { serverBackends } from '../helpers/server-backends.ts';
import { SEED_ZONE, startSeedServer, type SeedServer } from '../helpers/seed-server.ts';

type Row = Record<string, unknown>;
// A real server starts (and on PGlite migrates) in beforeAll.
vi.setConfig({ hookTimeout: 120_000, testTimeout: 60_000 });

/** The operator commands of the issue "a CLI that covers everything", against the real server. */
describe.each(serverBackends())('caracal operator commands against the real server on $name', (backend) => {
  let server: SeedServer;

  beforeAll(async () => {
    server = await startSeedServer(backend);
  });
  afterAll(async () => {
    await server?.close();
    await backend.cleanup();
  });

  const caracal = async (argv: string[], env: Record<string, string | undefined> = {}, openUrl?: (url: string) => Promise<boolean>) => {
    const io = fakeIo({
      env: { CARACAL_COORDINATOR_URL: server.url, CARACAL_COORDINATOR_TOKEN: server.tokens.operator, CARACAL_ADMIN_TOKEN: server.adminToken, ...env },
    });
    if (openUrl !== undefined) Object.assign(io, { openUrl });
    const code = await run(argv, io);
    return { code, stdout: io.out(), stderr: io.err() };
  };
  const spawn = async (token: string, parentId?: string) =>
    String((await server.call('POST', `/zones/${SEED_ZONE}/agents`, token, parentId === undefined ? {} : { parent_id: parentId })).agent_session_id);
  const ids = (json: string) => (JSON.parse(json) as Row[]).map((row) => row.id);

  it('agent list filters by --status and --application', async () => {
    const mine = await spawn(server.tokens.one);
    const theirs = await spawn(server.tokens.two);
    await server.call('POST', `/zones/${SEED_ZONE}/agents/${mine}/suspend`, server.tokens.one, {});
    const suspended = await caracal(['agent', 'list', '--status', 'suspended', '--json']);
    expect(suspended.code, suspended.stderr).toBe(0);
    expect(ids(suspended.stdout)).toContain(mine);
    expect(ids(suspended.stdout)).not.toContain(theirs);
    const two = await caracal(['agent', 'list', '--application', 'app_seedtwo', '--json']);
    expect(ids(two.stdout)).toContain(theirs);
    expect((JSON.parse(two.stdout) as Row[]).every((row) => row.application_id === 'app_seedtwo')).toBe(true);
    const bad = await caracal(['agent', 'list', '--status', 'sleeping']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('expected one of active, suspended, terminated');
  });

  it('agent tree lists one level by default and N levels with --depth, in tree order', async () => {
    const root = await spawn(server.tokens.one);
    const child = await spawn(server.tokens.one, root);
    const grandchild = await spawn(server.tokens.one, child);
    const greatGrandchild = await spawn(server.tokens.one, grandchild);
    const second = await spawn(server.tokens.one, root);
    expect(ids((await caracal(['agent', 'tree', root, '--json'])).stdout).sort()).toEqual([child, second].sort());
    const deep = ids((await caracal(['agent', 'tree', root, '--depth', '2', '--json'])).stdout);
    expect(new Set(deep)).toEqual(new Set([child, grandchild, second]));
    expect(deep.indexOf(grandchild)).toBe(deep.indexOf(child) + 1);
    expect(ids((await caracal(['agent', 'tree', root, '--depth', '9', '--json'])).stdout)).toContain(greatGrandchild);
    const table = await caracal(['agent', 'tree', root, '--depth', '2']);
    expect(table.stdout.split('\n')[0]).toMatch(/^id\s+application_id\s+parent_id\s+status\s+depth\s+spawned_at$/);
    expect((await caracal(['agent', 'tree', root, '--depth', '0'])).code).toBe(2);
  });

  it('delegation revoke --dry-run prints the impact and changes nothing; the revocation then does exactly that', async () => {
    const source = await spawn(server.tokens.one);
    const target = await spawn(server.tokens.two);
    const edge = String(
      (await server.call('POST', `/zones/${SEED_ZONE}/delegations`, server.tokens.one, { source_session_id: source, target_session_id: target, scopes: ['tools:call'] })).id,
    );
    const dry = await caracal(['delegation', 'revoke', edge, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toBe(
      `dry run: nothing was changed. Revoking ${edge} would revoke 1 edges and terminate 1 sessions.\nedges: ${edge}\nsessions: ${target}\n`,
    );
    expect((await server.call('GET', `/zones/${SEED_ZONE}/delegations/${edge}`, server.tokens.operator)).status).toBe('active');
    const json = JSON.parse((await caracal(['delegation', 'revoke', edge, '--dry-run', '--json'])).stdout) as Row;
    expect(json).toEqual({ dry_run: true, revoked_edges: 1, affected_sessions: 1, edge_ids: [edge], session_ids: [target] });
    expect((await caracal(['delegation', 'revoke', edge])).stdout).toBe('{"revoked_edges": 1, "affected_sessions": 1}\n');
    expect((await server.call('GET', `/zones/${SEED_ZONE}/agents/${target}`, server.tokens.operator)).status).toBe('terminated');
  });

  it('zone, app and resource list print the admin lists', async () => {
    const zones = await caracal(['zone', 'list']);
    expect(zones.code, zones.stderr).toBe(0);
    expect(zones.stdout.split('\n')[0]).toMatch(/^id\s+name\s+created_at$/);
    expect(zones.stdout).toContain(SEED_ZONE);
    const apps = JSON.parse((await caracal(['app', 'list', SEED_ZONE, '--json'])).stdout) as Row[];
    expect(apps.map((app) => app.client_id).sort()).toEqual(expect.arrayContaining(['app_seedone', 'app_seedtwo']));
    const resources = await caracal(['resource', 'list', SEED_ZONE]);
    expect(resources.stdout).toMatch(/^identifier\s+scopes\s+created_at\n/);
    expect(resources.stdout).toContain('mcp://tools.seedcli');
    const refused = await caracal(['zone', 'list'], { CARACAL_ADMIN_TOKEN: 'not-the-admin-token' });
    expect(refused.code).toBe(1);
  });

  it('caracal console prints a sign-in link holding a working operator mandate, and --open hands it to the browser opener', async () => {
    const printed = await caracal(['console', '--zone', SEED_ZONE]);
    expect(printed.code, printed.stderr).toBe(0);
    const match = /^(http:\/\/127\.0\.0\.1:\d+)\/console\/#token=([^\s]+)\n$/.exec(printed.stdout);
    expect(match?.[1]).toBe(server.url);
    const mandate = decodeURIComponent(match![2]!);
    expect((await server.call('GET', `/zones/${SEED_ZONE}/agents?limit=1`, mandate)).items).toEqual(expect.any(Array));

    const opened: string[] = [];
    const withBrowser = await caracal(['console', '--zone', SEED_ZONE, '--open'], {}, async (url) => (opened.push(url), true));
    expect(opened).toEqual([withBrowser.stdout.trimEnd()]);
    expect(withBrowser.stderr).toBe('opened the console in your browser\n');
    const headless = await caracal(['console', '--zone', SEED_ZONE, '--open'], {}, async () => false);
    expect(headless.stderr).toBe('no browser could be opened here: open the link above yourself\n');
    expect((await caracal(['console'], { CARACAL_ZONE_ID: undefined })).code).toBe(3);
  });

  it('a refused operator token says how to mint a new one', async () => {
    const expired = `x.${Buffer.from(JSON.stringify({ zone_id: SEED_ZONE })).toString('base64url')}.y`;
    for (const argv of [['agent', 'list'], ['blueprint', 'list'], ['run', 'list']]) {
      const result = await caracal(argv, { CARACAL_COORDINATOR_TOKEN: expired });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^invalid_token: .+\n {2}HTTP 401, request id \S+\n/);
      expect(result.stderr.endsWith(`the token was refused (expired?): mint a new one with caracal token --zone ${SEED_ZONE} and export it as CARACAL_COORDINATOR_TOKEN\n`)).toBe(true);
    }
  });
});

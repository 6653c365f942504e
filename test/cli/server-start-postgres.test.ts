import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createClient } from 'redis';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Caracal } from '@caracal/sdk';
import { eventSignatureVerifier, redisRevocationSource, type RevocationEventFields } from '@caracal/sdk/verify';
import { assertBuiltCli, caracal, startServerCli } from './helpers/built-cli.ts';

const databaseUrl = process.env.CARACAL_TEST_DATABASE_URL;
const redisUrl = process.env.CARACAL_TEST_REDIS_URL;

const cleanups: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A schema of its own per start, dropped afterwards. */
function freshSchema(): string {
  const schema = `cli_${randomBytes(6).toString('hex')}`;
  cleanups.push(async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });
  return schema;
}

/** A config file that bootstraps one zone with one application. */
function configFile(zone: string): string {
  const folder = mkdtempSync(join(tmpdir(), 'caracal-pg-config-'));
  cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
  const path = join(folder, 'caracal.config.json');
  writeFileSync(path, JSON.stringify({ zones: [{ id: zone, applications: [{ id: 'app_pg', secret: 'pg-app-secret', scopes: ['tools:call'] }] }] }));
  return path;
}

/** `caracal server start --port 0 …`, stopped with SIGTERM after the test. */
const startCli = (args: string[], env: Record<string, string>) =>
  startServerCli(['--port', '0', ...args], env, (child, done) =>
    cleanups.push(async () => {
      child.kill('SIGTERM');
      await done;
    }),
  );

/**
 * Spawns and ends a session on the server, and resolves with whether the receiver, verifying
 * Redis entries with `eventSecret`, accepted its `session_revoked`: false means dropped as forged.
 */
async function revocationAccepted(url: string, zone: string, eventSecret: string): Promise<boolean> {
  const client = createClient({ url: redisUrl });
  await client.connect();
  cleanups.push(() => client.destroy());
  const verify = eventSignatureVerifier(eventSecret);
  let session = '';
  let settle: (accepted: boolean) => void = () => undefined;
  const verdict = new Promise<boolean>((resolve) => (settle = resolve));
  const source = redisRevocationSource({
    client,
    zoneId: zone,
    replayMs: 0,
    blockMs: 200,
    // The verdict on this session's entry, whichever it is: a dropped revocation must fail the test, not hang it.
    verifyEvent: (fields: RevocationEventFields, topic: string | undefined) => {
      const accepted = verify(fields, topic);
      if (fields.zone_id === zone && session !== '' && String(fields.payload).includes(session)) settle(accepted);
      return accepted;
    },
  });
  cleanups.push(() => source.close());
  await source.ready();
  const sdk = new Caracal({ coordinatorUrl: url, zoneId: zone, clientId: 'app_pg', clientSecret: 'pg-app-secret' });
  cleanups.push(() => sdk.close());
  await sdk.spawn({ kind: 'ephemeral' }, async (context) => {
    session = context.agentSessionId!;
  });
  // spawn() ended the session: the server signs session_revoked and publishes it on Redis.
  const accepted = await verdict;
  if (accepted) expect(source.store.isRevoked({ sessionId: session })).toBe(true);
  return accepted;
}

// Real processes on Postgres (+ Redis for the receiver); a start takes seconds on a busy machine.
describe.runIf(databaseUrl !== undefined && redisUrl !== undefined)('the built caracal binary: server start on Postgres', { timeout: 180_000 }, () => {
  beforeAll(() => {
    assertBuiltCli();
  });

  it('refuses to start without secrets, naming the settings, exit 3', async () => {
    const result = await caracal(['server', 'start', '--port', '0'], { DATABASE_URL: databaseUrl, DATABASE_SCHEMA: freshSchema(), CARACAL_ADMIN_TOKEN: 'pg-admin' });
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('a server on Postgres needs its own secrets; set CARACAL_KEY_SECRET (--key-secret, key_secret) and CARACAL_EVENT_SECRET (--event-secret, event_secret)');
    const oneMissing = await caracal(['server', 'start', '--port', '0', '--key-secret', 'k'], { DATABASE_URL: databaseUrl, DATABASE_SCHEMA: freshSchema() });
    expect(oneMissing.code).toBe(3);
    expect(oneMissing.stderr).toContain('set CARACAL_EVENT_SECRET (--event-secret, event_secret)');
    expect(oneMissing.stderr).not.toContain('CARACAL_KEY_SECRET');
  });

  it('with the secrets in the environment, a receiver verifying with CARACAL_EVENT_SECRET accepts the revocation', async () => {
    const zone = `zone_pg_env_${randomBytes(4).toString('hex')}`;
    const eventSecret = `env-event-${randomBytes(8).toString('hex')}`;
    const { url } = await startCli(['--config', configFile(zone)], {
      DATABASE_URL: databaseUrl!,
      DATABASE_SCHEMA: freshSchema(),
      REDIS_URL: redisUrl!,
      CARACAL_ADMIN_TOKEN: 'pg-admin',
      CARACAL_KEY_SECRET: `env-key-${randomBytes(8).toString('hex')}`,
      CARACAL_EVENT_SECRET: eventSecret,
    });
    expect(await revocationAccepted(url, zone, eventSecret)).toBe(true);
  });

  it('with the secrets as flags, likewise, and a receiver with another secret drops it', async () => {
    const zone = `zone_pg_flags_${randomBytes(4).toString('hex')}`;
    const eventSecret = `flag-event-${randomBytes(8).toString('hex')}`;
    const { url } = await startCli(
      ['--config', configFile(zone), '--database-url', databaseUrl!, '--database-schema', freshSchema(), '--redis-url', redisUrl!, '--key-secret', 'flag-key-secret', '--event-secret', eventSecret],
      { CARACAL_ADMIN_TOKEN: 'pg-admin', CARACAL_EVENT_SECRET: 'overridden-by-the-flag' },
    );
    expect(await revocationAccepted(url, zone, eventSecret)).toBe(true);
    expect(await revocationAccepted(url, zone, 'overridden-by-the-flag')).toBe(false);
  });
});

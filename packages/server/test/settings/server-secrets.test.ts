import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeProtectedHeader } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveServerSecrets, secretsFilePath } from '../../src/settings/server-secrets.ts';
import { ServerSettingsError } from '../../src/settings/settings-error.ts';
import { startServer, type RunningServer, type StartServerOptions } from '../../src/start-server.ts';
import { closeOnBackend, serverOptionsOn, testBackends } from '../helpers/backends.ts';

const ZONE = 'zone_secrets';
const BOOTSTRAP = { zones: [{ id: ZONE, applications: [{ id: 'app_secrets', secret: 'app-secret', scopes: ['tools:call'] }] }] };

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function temporaryFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'caracal-secrets-'));
  cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
  return folder;
}

async function start(options: StartServerOptions): Promise<RunningServer> {
  const server = await startServer({ port: 0, logger: false, jobs: false, bootstrap: BOOTSTRAP, ...options });
  cleanups.push(() => server.close());
  return server;
}

/** The kid of a freshly minted session mandate: proof the server could decrypt its zone's signing key. */
async function mintedKid(server: RunningServer): Promise<string> {
  const response = await fetch(`${server.url}/oauth/2/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'app_secrets', client_secret: 'app-secret' }),
  });
  expect(response.status).toBe(200);
  return String(decodeProtectedHeader(((await response.json()) as { access_token: string }).access_token).kid);
}

async function refusal(starting: Promise<unknown>): Promise<ServerSettingsError> {
  const error = await starting.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ServerSettingsError);
  return error as ServerSettingsError;
}

describe('server secrets: none has a built-in value', () => {
  it('refuses to start on Postgres without them, naming both settings, before touching the database', async () => {
    // Nothing listens on port 1: an attempt to connect would fail differently.
    const error = await refusal(startServer({ port: 0, logger: false, databaseUrl: 'postgres://127.0.0.1:1/none' }));
    expect(error.code).toBe('missing_setting');
    expect(error.message).toContain('CARACAL_KEY_SECRET (--key-secret, key_secret) and CARACAL_EVENT_SECRET (--event-secret, event_secret)');
    const oneMissing = await refusal(startServer({ port: 0, logger: false, databaseUrl: 'postgres://127.0.0.1:1/none', keyEncryptionSecret: 'k' }));
    expect(oneMissing.setting).toBe('CARACAL_EVENT_SECRET');
    expect(oneMissing.message).not.toContain('CARACAL_KEY_SECRET');
  });

  it('generates random secrets for an in-memory embedded server, different every run, and says so', async () => {
    const first = await resolveServerSecrets({ databaseUrl: undefined, dataDir: undefined, keyEncryptionSecret: undefined, eventSigningSecret: undefined });
    const second = await resolveServerSecrets({ databaseUrl: undefined, dataDir: 'memory://', keyEncryptionSecret: undefined, eventSigningSecret: undefined });
    expect(new Set([first.keyEncryptionSecret, first.eventSigningSecret, second.keyEncryptionSecret, second.eventSigningSecret]).size).toBe(4);
    expect(first.keyEncryptionSecret).toMatch(/^[\w-]{43}$/);
    expect(first.notices).toEqual([
      `CARACAL_KEY_SECRET and CARACAL_EVENT_SECRET not set: generated random ones for this in-memory run; receivers verifying revocations need CARACAL_EVENT_SECRET=${first.eventSigningSecret}`,
    ]);
    const configured = await resolveServerSecrets({ databaseUrl: undefined, dataDir: undefined, keyEncryptionSecret: 'k', eventSigningSecret: 'e' });
    expect(configured).toEqual({ keyEncryptionSecret: 'k', eventSigningSecret: 'e', notices: [] });
  });

  it('keeps an embedded data folder readable across restarts: generated secrets are stored beside it, mode 0600', async () => {
    const dataDir = join(temporaryFolder(), 'data');
    const first = await start({ dataDir });
    const kid = await mintedKid(first);
    const file = secretsFilePath(dataDir);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    expect(Object.keys(stored).sort()).toEqual(['event_secret', 'key_secret']);
    expect(first.notices).toContain(`CARACAL_KEY_SECRET and CARACAL_EVENT_SECRET not set: generated and stored in ${file} (mode 0600; later starts with this data folder reuse them)`);
    await first.close();

    const second = await start({ dataDir });
    expect(await mintedKid(second)).toBe(kid);
    expect(second.notices[0]).toContain(`read from ${file}`);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(stored);
  });

  it('never writes a configured secret to the file, and refuses a file others can read', async () => {
    const dataDir = join(temporaryFolder(), 'data');
    const secrets = await resolveServerSecrets({ databaseUrl: undefined, dataDir, keyEncryptionSecret: 'configured-key', eventSigningSecret: undefined });
    expect(secrets.keyEncryptionSecret).toBe('configured-key');
    expect(JSON.parse(readFileSync(secretsFilePath(dataDir), 'utf8'))).toEqual({ event_secret: secrets.eventSigningSecret });
    writeFileSync(secretsFilePath(dataDir), '{}');
    chmodSync(secretsFilePath(dataDir), 0o644);
    const error = await refusal(resolveServerSecrets({ databaseUrl: undefined, dataDir, keyEncryptionSecret: undefined, eventSigningSecret: undefined }));
    expect(error.message).toContain('is readable by others; chmod 600 it');
  });
});

describe.each(testBackends())('key-secret rotation ($name)', (backend) => {
  it('refuses a key secret that does not open the stored keys; CARACAL_PREVIOUS_KEY_SECRET re-encrypts them at start', { timeout: 300_000 }, async () => {
    const schema = backend.schema();
    cleanups.push(() => closeOnBackend(schema));
    const storage: StartServerOptions =
      backend.databaseUrl === undefined ? { dataDir: join(temporaryFolder(), 'data') } : { ...serverOptionsOn(backend, schema, false) };
    const withSecrets = (keyEncryptionSecret: string, previousKeyEncryptionSecret?: string): StartServerOptions => ({
      ...storage,
      eventSigningSecret: 'rotation-event-secret',
      keyEncryptionSecret,
      ...(previousKeyEncryptionSecret === undefined ? {} : { previousKeyEncryptionSecret }),
    });

    const original = await start(withSecrets('old-key-secret'));
    const kid = await mintedKid(original);
    await original.close();

    const wrong = await refusal(start(withSecrets('new-key-secret')));
    expect(wrong.setting).toBe('CARACAL_KEY_SECRET');
    expect(wrong.message).toContain(`CARACAL_KEY_SECRET does not open 1 stored signing key(s) (${kid})`);

    const rotating = await start(withSecrets('new-key-secret', 'old-key-secret'));
    expect(rotating.notices).toContainEqual(expect.stringContaining('re-encrypted 1 signing key(s) under the current CARACAL_KEY_SECRET'));
    expect(await mintedKid(rotating)).toBe(kid);
    await rotating.close();

    const rotated = await start(withSecrets('new-key-secret'));
    expect(rotated.notices).toEqual([]);
    expect(await mintedKid(rotated)).toBe(kid);
    await rotated.close();
    await expect(start(withSecrets('old-key-secret'))).rejects.toThrow(ServerSettingsError);
  });
});

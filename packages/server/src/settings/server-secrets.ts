import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ServerSettingsError } from './settings-error.ts';

export interface ServerSecrets {
  keyEncryptionSecret: string;
  eventSigningSecret: string;
  /** One sentence per secret the server made up or read from its file, to tell the operator. */
  notices: string[];
}

interface SecretInputs {
  databaseUrl: string | undefined;
  dataDir: string | undefined;
  keyEncryptionSecret: string | undefined;
  eventSigningSecret: string | undefined;
}

/** What the secrets file beside a PGlite data folder holds (mode 0600). */
interface SecretsFile {
  key_secret?: string;
  event_secret?: string;
}

const MISSING = {
  keyEncryptionSecret: 'CARACAL_KEY_SECRET (--key-secret, key_secret)',
  eventSigningSecret: 'CARACAL_EVENT_SECRET (--event-secret, event_secret)',
} as const;

/**
 * The secrets a server runs with; none has a built-in value.
 * - Both configured: used as they are.
 * - Postgres: refused without both; a shared database outlives any one process, and replicas
 *   must agree on them.
 * - Embedded PGlite in memory: random ones for this run (nothing outlives it).
 * - Embedded PGlite in a data folder: random ones, stored beside the folder in
 *   `<dataDir>.secrets.json` (mode 0600) and reused by later starts, so the stored signing keys
 *   stay readable.
 */
export async function resolveServerSecrets(inputs: SecretInputs): Promise<ServerSecrets> {
  const configured = { keyEncryptionSecret: inputs.keyEncryptionSecret, eventSigningSecret: inputs.eventSigningSecret };
  const missing = (Object.keys(MISSING) as Array<keyof typeof MISSING>).filter((name) => configured[name] === undefined);
  if (missing.length === 0) return { ...(configured as Omit<ServerSecrets, 'notices'>), notices: [] };
  if (inputs.databaseUrl !== undefined) {
    throw new ServerSettingsError(
      'missing_setting',
      missing.map((name) => MISSING[name].split(' ')[0]).join(', '),
      `a server on Postgres needs its own secrets; set ${missing.map((name) => MISSING[name]).join(' and ')}, e.g. each from \`openssl rand -base64 32\` (docs/configuration.md)`,
    );
  }
  const names = missing.map((name) => MISSING[name].split(' ')[0]).join(' and ');
  if (inputs.dataDir === undefined || inputs.dataDir.startsWith('memory://')) {
    const keyEncryptionSecret = configured.keyEncryptionSecret ?? randomSecret();
    const eventSigningSecret = configured.eventSigningSecret ?? randomSecret();
    const eventLine = configured.eventSigningSecret === undefined ? `; receivers verifying revocations need CARACAL_EVENT_SECRET=${eventSigningSecret}` : '';
    return { keyEncryptionSecret, eventSigningSecret, notices: [`${names} not set: generated random ones for this in-memory run${eventLine}`] };
  }
  // Only what is not configured is read from (or added to) the file: a configured secret never lands on disk.
  const path = secretsFilePath(inputs.dataDir);
  const stored = await readSecretsFile(path);
  const updated: SecretsFile = { ...stored };
  const keyEncryptionSecret = configured.keyEncryptionSecret ?? stored.key_secret ?? (updated.key_secret = randomSecret());
  const eventSigningSecret = configured.eventSigningSecret ?? stored.event_secret ?? (updated.event_secret = randomSecret());
  const changed = updated.key_secret !== stored.key_secret || updated.event_secret !== stored.event_secret;
  if (changed) await writeSecretsFile(path, updated);
  const verb = changed ? 'generated and stored in' : 'read from';
  return { keyEncryptionSecret, eventSigningSecret, notices: [`${names} not set: ${verb} ${path} (mode 0600; later starts with this data folder reuse them)`] };
}

/** `<dataDir>.secrets.json`, beside the folder: PGlite owns the folder's contents. */
export function secretsFilePath(dataDir: string): string {
  return `${resolve(dataDir)}.secrets.json`;
}

function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

async function readSecretsFile(path: string): Promise<SecretsFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  if (((await stat(path)).mode & 0o077) !== 0) {
    throw new ServerSettingsError('invalid_setting', 'CARACAL_DATA_DIR', `${path} is readable by others; chmod 600 it (it holds the server's secrets)`);
  }
  let values: unknown;
  try {
    values = JSON.parse(text);
  } catch {
    values = undefined;
  }
  const valid = typeof values === 'object' && values !== null && Object.values(values).every((value) => typeof value === 'string' && value !== '');
  if (!valid) throw new ServerSettingsError('invalid_setting', 'CARACAL_DATA_DIR', `${path} is not a JSON object of secrets; restore it or delete it with the data folder`);
  return values as SecretsFile;
}

/** Mode 0600 from the first byte: the file is created with it, and an existing one is narrowed to it. */
async function writeSecretsFile(path: string, values: SecretsFile): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(values, null, 2)}\n`, { mode: 0o600 });
  await chmod(path, 0o600);
}

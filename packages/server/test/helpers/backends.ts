import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { StartServerOptions } from '../../src/start-server.ts';

/** One storage/bus combination a test suite runs against. */
export interface Backend {
  name: 'embedded' | 'postgres+redis';
  databaseUrl?: string;
  redisUrl?: string;
  /** A fresh Postgres schema per call, so parallel suites never collide. */
  schema(): string | undefined;
}

const databaseUrl = process.env.CARACAL_TEST_DATABASE_URL;
const redisUrl = process.env.CARACAL_TEST_REDIS_URL;
const required = process.env.CARACAL_TEST_REQUIRE_BACKENDS === '1';

/**
 * The backends to run against: always the embedded defaults (PGlite + in-process bus), and real
 * Postgres + Redis when `CARACAL_TEST_DATABASE_URL` / `CARACAL_TEST_REDIS_URL` are set. CI sets
 * `CARACAL_TEST_REQUIRE_BACKENDS=1`, which makes a missing or unreachable backend fail loudly.
 */
export function testBackends(): Backend[] {
  const backends: Backend[] = [{ name: 'embedded', schema: () => undefined }];
  if (databaseUrl !== undefined && redisUrl !== undefined) {
    backends.push({
      name: 'postgres+redis',
      databaseUrl,
      redisUrl,
      schema: () => `test_${randomBytes(6).toString('hex')}`,
    });
  } else if (required) {
    throw new Error('CARACAL_TEST_REQUIRE_BACKENDS=1 but CARACAL_TEST_DATABASE_URL or CARACAL_TEST_REDIS_URL is not set');
  }
  return backends;
}

/** Drops a schema a test created (best effort, the run is over either way). */
export async function dropSchema(schema: string | undefined): Promise<void> {
  if (schema === undefined || databaseUrl === undefined) return;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** The secrets test servers run with: a server on Postgres refuses to start without its own. */
export const TEST_SECRETS = { keyEncryptionSecret: 'test-key-secret', eventSigningSecret: 'test-event-secret' } as const;

/** The `openDatabase` options of `backend`, in `schema` when it has one. */
export function databaseOptionsOn(backend: Backend, schema: string | undefined): { databaseUrl?: string; schema?: string } {
  return {
    ...(backend.databaseUrl === undefined ? {} : { databaseUrl: backend.databaseUrl }),
    ...(schema === undefined ? {} : { schema }),
  };
}

/**
 * The `startServer` options that put a server on `backend`: its database (in `schema`) and, unless
 * `redis` is false, its Redis under the given key prefix.
 */
export function serverOptionsOn(
  backend: Backend,
  schema: string | undefined,
  redis: { keyPrefix?: string } | false = {},
): Pick<StartServerOptions, 'databaseUrl' | 'databaseSchema' | 'redisUrl' | 'redisKeyPrefix' | 'keyEncryptionSecret' | 'eventSigningSecret'> {
  return {
    ...TEST_SECRETS,
    ...(backend.databaseUrl === undefined ? {} : { databaseUrl: backend.databaseUrl, ...(schema === undefined ? {} : { databaseSchema: schema }) }),
    ...(redis === false || backend.redisUrl === undefined ? {} : { redisUrl: backend.redisUrl }),
    ...(redis === false || backend.redisUrl === undefined || redis.keyPrefix === undefined ? {} : { redisKeyPrefix: redis.keyPrefix }),
  };
}

/** Closes a test app's parts in the order given (the app first, so no request is in flight), then drops its schema. */
export async function closeOnBackend(schema: string | undefined, ...parts: Array<{ close(): Promise<unknown> }>): Promise<void> {
  for (const part of parts) await part.close();
  await dropSchema(schema);
}

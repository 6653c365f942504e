import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createClient } from 'redis';
import type { StartServerOptions } from '@caracal/server';

/** Where a real server keeps its rows and publishes its events in a test. */
export interface ServerBackend {
  readonly name: 'embedded' | 'postgres+redis';
  /** Set on the Redis backend: the Redis the server publishes to. */
  readonly redisUrl: string | undefined;
  /** The `startServer` options for this backend; a fresh schema and key prefix per call. */
  serverOptions(): Pick<StartServerOptions, 'databaseUrl' | 'databaseSchema' | 'redisUrl' | 'redisKeyPrefix' | 'keyEncryptionSecret' | 'eventSigningSecret'>;
  /** Drops the schemas and Redis keys the calls above made. */
  cleanup(): Promise<void>;
}

const databaseUrl = process.env.CARACAL_TEST_DATABASE_URL;
const redisUrl = process.env.CARACAL_TEST_REDIS_URL;

/** The embedded defaults always; real Postgres + Redis when CARACAL_TEST_DATABASE_URL and CARACAL_TEST_REDIS_URL are set. */
export function serverBackends(): ServerBackend[] {
  const backends: ServerBackend[] = [{ name: 'embedded', redisUrl: undefined, serverOptions: () => ({}), cleanup: async () => {} }];
  if (databaseUrl !== undefined && redisUrl !== undefined) backends.push(postgresAndRedis(databaseUrl, redisUrl));
  return backends;
}

function postgresAndRedis(database: string, redis: string): ServerBackend {
  const schemas: string[] = [];
  const prefixes: string[] = [];
  return {
    name: 'postgres+redis',
    redisUrl: redis,
    serverOptions() {
      const suffix = randomBytes(6).toString('hex');
      schemas.push(`test_${suffix}`);
      prefixes.push(`test_${suffix}:`);
      // A server on Postgres refuses to start without its own secrets (docs/configuration.md).
      return {
        databaseUrl: database,
        databaseSchema: schemas.at(-1)!,
        redisUrl: redis,
        redisKeyPrefix: prefixes.at(-1)!,
        keyEncryptionSecret: 'verify-test-key-secret',
        eventSigningSecret: 'verify-test-event-secret',
      };
    },
    async cleanup() {
      await dropSchemas(database, schemas.splice(0));
      await deleteKeys(redis, prefixes.splice(0));
    },
  };
}

async function dropSchemas(url: string, schemas: readonly string[]): Promise<void> {
  if (schemas.length === 0) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** Removes the streams a test's server created on the shared Redis. */
export async function deleteKeys(url: string, prefixes: readonly string[]): Promise<void> {
  if (prefixes.length === 0) return;
  const client = createClient({ url });
  client.on('error', () => {});
  await client.connect();
  try {
    for (const prefix of prefixes) {
      for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 100 })) if (keys.length > 0) await client.del(keys);
    }
  } finally {
    client.destroy();
  }
}

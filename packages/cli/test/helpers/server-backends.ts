import { randomBytes } from 'node:crypto';
import type { StartServerOptions } from '@caracal/server';
import { openDatabase } from '@caracal/server/testing';

/** Where a real server in a CLI test keeps its rows and publishes its events. */
export interface ServerBackend {
  readonly name: 'embedded' | 'postgres+redis';
  /** The `startServer` options for this backend: a fresh schema and key prefix per call. */
  serverOptions(): Pick<StartServerOptions, 'databaseUrl' | 'databaseSchema' | 'redisUrl' | 'redisKeyPrefix' | 'keyEncryptionSecret' | 'eventSigningSecret'>;
  /** Drops the schemas the calls above made. */
  cleanup(): Promise<void>;
}

const databaseUrl = process.env.CARACAL_TEST_DATABASE_URL;
const redisUrl = process.env.CARACAL_TEST_REDIS_URL;

/** The embedded defaults always; real Postgres + Redis when CARACAL_TEST_DATABASE_URL and CARACAL_TEST_REDIS_URL are set. */
export function serverBackends(): ServerBackend[] {
  const backends: ServerBackend[] = [{ name: 'embedded', serverOptions: () => ({}), cleanup: async () => {} }];
  if (databaseUrl !== undefined && redisUrl !== undefined) backends.push(postgresAndRedis(databaseUrl, redisUrl));
  return backends;
}

function postgresAndRedis(database: string, redis: string): ServerBackend {
  const schemas: string[] = [];
  return {
    name: 'postgres+redis',
    serverOptions() {
      const suffix = randomBytes(6).toString('hex');
      schemas.push(`test_cli_${suffix}`);
      // A server on Postgres refuses to start without its own secrets (docs/configuration.md).
      return {
        databaseUrl: database,
        databaseSchema: schemas.at(-1)!,
        redisUrl: redis,
        redisKeyPrefix: `test_cli_${suffix}:`,
        keyEncryptionSecret: 'cli-test-key-secret',
        eventSigningSecret: 'cli-test-event-secret',
      };
    },
    async cleanup() {
      for (const schema of schemas.splice(0)) {
        // Opening an up-to-date schema migrates nothing; the connection is only used to drop it.
        const connection = await openDatabase({ databaseUrl: database, schema, maxConnections: 1 });
        try {
          await connection.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        } finally {
          await connection.close();
        }
      }
    },
  };
}

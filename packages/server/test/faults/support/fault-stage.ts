import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import type { Database } from '../../../src/db/database.ts';
import { openDatabase } from '../../../src/db/open-database.ts';
import { dropSchema } from '../../helpers/backends.ts';
import { throwawayRedis, type ThrowawayRedis } from './throwaway-redis.ts';

/** What a fault suite runs on: a schema of its own on the shared Postgres and a Redis of its own. */
export interface FaultStage {
  readonly schema: string;
  /** Started in `beforeAll`: read it inside tests and hooks only. */
  readonly redis: ThrowawayRedis;
  /** Opened (so migrated) in `beforeAll`, before any server process starts on the schema. */
  readonly database: Database;
  readonly adminToken: string;
  /** The environment of a server process on this stage, with secrets named after the suite. */
  serverEnv(databaseUrl?: string): Record<string, string>;
}

/**
 * For a fault `describe` (Postgres and Redis set): registers the stage's set-up first, so its
 * clean-up runs after the suite's own (after hooks run in reverse order): the schema is dropped
 * once every process on it is gone.
 */
export function useFaultStage(name: string, databaseUrl: string, options: { durableRedis?: boolean } = {}): FaultStage {
  const schema = `${name}_${randomBytes(6).toString('hex')}`;
  let redis: ThrowawayRedis | undefined;
  let database: Database | undefined;
  const ready = <Part>(part: Part | undefined): Part => {
    if (part === undefined) throw new Error('the fault stage is set up in beforeAll: use it inside tests and hooks');
    return part;
  };
  const stage: FaultStage = {
    schema,
    adminToken: `${name}-admin-token`,
    get redis() {
      return ready(redis);
    },
    get database() {
      return ready(database);
    },
    serverEnv: (url = databaseUrl) => ({
      DATABASE_URL: url,
      DATABASE_SCHEMA: schema,
      REDIS_URL: ready(redis).url,
      CARACAL_ADMIN_TOKEN: stage.adminToken,
      CARACAL_EVENT_SECRET: `${name}-event-secret`,
      CARACAL_KEY_SECRET: `${name}-key-secret`,
      CARACAL_PUBLIC_URL: `https://caracal.${name}.test`,
    }),
  };
  beforeAll(async () => {
    redis = await throwawayRedis({ durable: options.durableRedis === true });
    database = await openDatabase({ databaseUrl, schema });
  }, 60_000);
  afterAll(async () => {
    await database?.close();
    await redis?.dispose();
    await dropSchema(schema);
  });
  return stage;
}

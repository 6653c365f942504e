import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { Database } from '../../../src/db/database.ts';
import { openDatabase } from '../../../src/db/open-database.ts';
import type { EventBus } from '../../../src/events/event-bus.ts';
import { openEventBus } from '../../../src/events/open-event-bus.ts';
import type { OutboxPublisher } from '../../../src/events/outbox-publisher.ts';
import { databaseOptionsOn, dropSchema, type Backend } from '../../helpers/backends.ts';
import { openTestDatabase } from '../../helpers/test-database.ts';

/** One database (a fresh schema on Postgres) shared by a test file, plus buses on demand. */
export interface EventBackend {
  database: Database;
  /** Another connection pool on the same schema (a replica); PGlite has only the one database. */
  openReplicaDatabase(): Promise<Database>;
  /** A bus; on Redis each gets its own key prefix unless one is given (the same prefix = the same streams). */
  openBus(options?: { keyPrefix?: string }): Promise<EventBus>;
  /** A fresh key prefix for Redis (ignored by the memory bus). */
  newKeyPrefix(): string;
  /** Empties the outbox so each test starts from zero. */
  resetOutbox(): Promise<void>;
  close(): Promise<void>;
}

export async function openEventBackend(backend: Backend): Promise<EventBackend> {
  const schema = backend.schema();
  const database = await openTestDatabase(databaseOptionsOn(backend, schema));
  const buses: EventBus[] = [];
  const replicas: Database[] = [];
  const memoryBuses = new Map<string, Promise<EventBus>>();
  const prefixes = new Set<string>();
  const newKeyPrefix = (): string => {
    const prefix = `test_${randomBytes(6).toString('hex')}:`;
    prefixes.add(prefix);
    return prefix;
  };
  return {
    database,
    newKeyPrefix,
    async openReplicaDatabase() {
      if (backend.databaseUrl === undefined) return database;
      const replica = await openDatabase({ databaseUrl: backend.databaseUrl, ...(schema === undefined ? {} : { schema }) });
      replicas.push(replica);
      return replica;
    },
    async openBus(options = {}) {
      // In-process buses are per process: "replicas" of the embedded backend share one.
      const shared = backend.redisUrl === undefined && options.keyPrefix !== undefined ? memoryBuses.get(options.keyPrefix) : undefined;
      if (shared !== undefined) return shared;
      const opening = openEventBus({
        ...(backend.redisUrl === undefined ? {} : { redisUrl: backend.redisUrl }),
        keyPrefix: options.keyPrefix ?? newKeyPrefix(),
      });
      if (backend.redisUrl === undefined && options.keyPrefix !== undefined) memoryBuses.set(options.keyPrefix, opening);
      const bus = await opening;
      buses.push(bus);
      return bus;
    },
    async resetOutbox() {
      await database.query('DELETE FROM caracal_outbox');
    },
    async close() {
      await Promise.all(buses.map((bus) => bus.close()));
      await Promise.all(replicas.map((replica) => replica.close()));
      await database.close();
      await dropSchema(schema);
      if (backend.redisUrl !== undefined) await deleteRedisKeys(backend.redisUrl, prefixes);
    },
  };
}

/** Removes the streams a test created on the shared Redis. */
async function deleteRedisKeys(url: string, prefixes: ReadonlySet<string>): Promise<void> {
  const client = createClient({ url });
  client.on('error', () => {});
  await client.connect();
  try {
    for (const prefix of prefixes) {
      for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 100 })) {
        if (keys.length > 0) await client.del(keys);
      }
    }
  } finally {
    client.destroy();
  }
}

/**
 * Opens a describe block's event backend (handed to `onOpen`) and returns the list its tests push
 * the publishers they start on: every test begins with those stopped and the outbox empty.
 */
export function usePublisherBackend(backend: Backend, onOpen: (events: EventBackend) => Promise<void> | void): OutboxPublisher[] {
  let events: EventBackend | undefined;
  const running: OutboxPublisher[] = [];
  beforeAll(async () => {
    events = await openEventBackend(backend);
    await onOpen(events);
  }, 60_000);
  afterAll(async () => {
    await events?.close();
  });
  beforeEach(async () => {
    await Promise.all(running.splice(0).map((publisher) => publisher.stop({ flushTimeoutMs: 0 })));
    await events!.resetOutbox();
  });
  return running;
}

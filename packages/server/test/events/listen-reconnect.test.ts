import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Database, ListenEvents } from '../../src/db/database.ts';
import { openTestDatabase as openBackendDatabase } from '../helpers/test-database.ts';
import { enqueueEvents } from '../../src/events/enqueue-event.ts';
import { openEventBus } from '../../src/events/open-event-bus.ts';
import { createOutboxPublisher, type OutboxPublisher } from '../../src/events/outbox-publisher.ts';
import { Topics } from '../../src/events/topics.ts';
import { dropSchema, testBackends, type Backend } from '../helpers/backends.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { nextTime } from './support/next-time.ts';
import { outboxStatusCounts } from './support/outbox-fixtures.ts';

/** Opens the backend's database; on Postgres under an application_name only this test uses, so it can find its own LISTEN backend. */
async function openTestDatabase(backend: Backend): Promise<{ database: Database; applicationName: string; close(): Promise<void> }> {
  const applicationName = `caracal_listen_test_${randomBytes(4).toString('hex')}`;
  const schema = backend.schema();
  const databaseUrl =
    backend.databaseUrl === undefined
      ? undefined
      : `${backend.databaseUrl}${backend.databaseUrl.includes('?') ? '&' : '?'}application_name=${applicationName}`;
  const database = await openBackendDatabase({
    ...(databaseUrl === undefined ? {} : { databaseUrl }),
    ...(schema === undefined ? {} : { schema }),
  });
  return {
    database,
    applicationName,
    close: async () => {
      await database.close();
      await dropSchema(schema);
    },
  };
}

/**
 * The database as the publisher sees it, with its rounds counted (each is one transaction): with
 * an hour-long poll only a wake starts one, so a test can wait for the rounds in flight to end.
 */
function countRounds(database: Database): { database: Database; started(): number; settled(after: number): Promise<void> } {
  let roundsStarted = 0;
  let roundsFinished = 0;
  let roundFinished = nextTime();
  const counted: Database = {
    ...database,
    transaction: (work, options) => {
      roundsStarted += 1;
      return database.transaction(work, options).finally(() => {
        roundsFinished += 1;
        roundFinished.fire();
        roundFinished = nextTime();
      });
    },
  };
  return {
    database: counted,
    started: () => roundsStarted,
    /** Resolves once more than `after` rounds have started and none is in flight. */
    settled: async (after) => {
      while (roundsStarted <= after || roundsFinished < roundsStarted) await roundFinished.promise;
    },
  };
}

const enqueueOne = (database: Database, sequence: number) =>
  database.transaction((transaction) =>
    enqueueEvents(transaction, [{ topic: Topics.agentsLifecycle, type: 'session_spawned', zoneId: 'zone_listen', payload: { sequence } }]),
  );

/** The publisher's `published` observer, and the wait for its next publication (armed before the commit). */
function publications(): { fire(): void; next(): Promise<void> } {
  let published = nextTime();
  return {
    fire: () => published.fire(),
    next: () => {
      published = nextTime();
      return published.promise;
    },
  };
}

/**
 * Once the LISTEN is back: lets the catch-up round that the restore wakes end, then commits row
 * `sequence` and waits until it is published. The publisher polls hourly, so only that commit's
 * NOTIFY can have woken it; `total` rows are published then.
 */
async function publishedThroughNotify(
  database: Database,
  rounds: ReturnType<typeof countRounds>,
  options: { roundsBeforeRestore: number; published: ReturnType<typeof publications>; sequence: number; total: number },
): Promise<void> {
  await rounds.settled(options.roundsBeforeRestore);
  const published = options.published.next();
  await enqueueOne(database, options.sequence);
  await published;
  // `published` is heard before its round commits: let the round end before reading the rows.
  await rounds.settled(rounds.started() - 1);
  expect(await outboxStatusCounts(database)).toEqual({ published: options.total });
}

/** Ends this test's LISTEN session from the server side, as a Postgres restart or an operator would. */
async function terminateListenBackend(database: Database, applicationName: string): Promise<number> {
  const result = await database.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND query ILIKE 'LISTEN%' AND pg_terminate_backend(pid)`,
    [applicationName],
  );
  expect(result.rows, 'exactly one LISTEN backend of this test').toHaveLength(1);
  return result.rows[0]!.pid;
}

async function listenBackendPids(database: Database, applicationName: string): Promise<number[]> {
  const result = await database.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND query ILIKE 'LISTEN%'`,
    [applicationName],
  );
  return result.rows.map((row) => row.pid);
}

describe.each(testBackends())('LISTEN survives losing its connection on $name', (backend) => {
  const onPostgres = backend.databaseUrl !== undefined;
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** Opens this test's database (see openTestDatabase) and an event bus, both closed after the test. */
  const openDatabaseAndBus = async () => {
    const opened = await openTestDatabase(backend);
    cleanups.push(opened.close);
    const bus = await openEventBus({});
    cleanups.push(() => bus.close());
    return { ...opened, bus };
  };

  // Registered on Postgres only: PGlite runs inside this process and has no server session to lose.
  if (onPostgres) {
    it('re-issues LISTEN after the backend is terminated, and tells the subscriber both ways', async () => {
      const { database, applicationName, close } = await openTestDatabase(backend);
      cleanups.push(close);
      const channel = `test_channel_${randomBytes(4).toString('hex')}`;
      const payloads = new Map<string, () => void>();
      const received = (payload: string): Promise<void> => {
        const signal = nextTime();
        payloads.set(payload, signal.fire);
        return signal.promise;
      };
      const interrupted = nextTime();
      const restored = nextTime();
      const events: ListenEvents = { onInterrupted: interrupted.fire, onRestored: restored.fire };
      await database.listen(channel, (payload) => payloads.get(payload)?.(), events);

      const before = received('before');
      await database.query('SELECT pg_notify($1, $2)', [channel, 'before']);
      await before;

      const killed = await terminateListenBackend(database, applicationName);
      await interrupted.promise;
      await restored.promise;
      const now = await listenBackendPids(database, applicationName);
      expect(now).toHaveLength(1);
      expect(now[0]).not.toBe(killed);

      const after = received('after');
      await database.query('SELECT pg_notify($1, $2)', [channel, 'after']);
      await after;
    }, 30_000);

    it('a commit wakes the outbox publisher through NOTIFY again once LISTEN is back', async () => {
      const { database, applicationName, bus } = await openDatabaseAndBus();

      const rounds = countRounds(database);
      const interrupted = nextTime();
      const restored = nextTime();
      const published = publications();
      const publisher: OutboxPublisher = createOutboxPublisher({
        database: rounds.database,
        bus,
        signingSecret: 'listen-test-secret',
        publisherId: 'listen-test',
        pollIntervalMs: 3_600_000,
        observer: { listenInterrupted: interrupted.fire, listenRestored: restored.fire, published: published.fire },
      });
      await publisher.start();
      cleanups.push(() => publisher.stop({ flushTimeoutMs: 0 }));
      const first = published.next();
      await enqueueOne(database, 1);
      await first;

      await terminateListenBackend(database, applicationName);
      await interrupted.promise;
      const roundsBeforeRestore = rounds.started();
      await restored.promise;
      await publishedThroughNotify(database, rounds, { roundsBeforeRestore, published, sequence: 2, total: 2 });
    }, 30_000);
  }

  it('retries a LISTEN that could not be set up at start, then hears commits through it', async () => {
    const { database, bus } = await openDatabaseAndBus();
    let refusals = 2;
    const rounds = countRounds({
      ...database,
      listen: (channel, onNotify, events) => {
        if (refusals === 0) return database.listen(channel, onNotify, events);
        refusals -= 1;
        return Promise.reject(new Error('LISTEN refused'));
      },
    });
    const interrupted = nextTime();
    const restored = nextTime();
    const published = publications();
    const publisher = createOutboxPublisher({
      database: rounds.database,
      bus,
      signingSecret: 'listen-retry-secret',
      publisherId: 'listen-retry',
      pollIntervalMs: 3_600_000,
      backoffBaseMs: 1,
      backoffCapMs: 5,
      observer: { listenInterrupted: interrupted.fire, listenRestored: restored.fire, published: published.fire },
    });
    await publisher.start();
    cleanups.push(() => publisher.stop({ flushTimeoutMs: 0 }));
    await interrupted.promise;
    const roundsBeforeRestore = rounds.started();
    await restored.promise;
    expect(refusals).toBe(0);
    await publishedThroughNotify(database, rounds, { roundsBeforeRestore, published, sequence: 1, total: 1 });
  }, 30_000);

  it('keeps publishing by polling while no NOTIFY arrives', async () => {
    const { database, bus } = await openDatabaseAndBus();
    // A database whose LISTEN connection is down for good: the subscription is told so and hears nothing.
    const deaf: Database = {
      ...database,
      async listen(_channel, _onNotify, events) {
        events?.onInterrupted?.(new Error('the LISTEN connection is down'));
        return async () => {};
      },
    };
    const publisher = createOutboxPublisher({ database: deaf, bus, signingSecret: 'poll-secret', publisherId: 'poll-test', pollIntervalMs: 20 });
    await publisher.start();
    cleanups.push(() => publisher.stop({ flushTimeoutMs: 0 }));
    await database.transaction((transaction) =>
      enqueueEvents(transaction, [{ topic: Topics.agentsLifecycle, type: 'session_spawned', zoneId: 'zone_poll', payload: {} }]),
    );
    await waitFor(async () => (await outboxStatusCounts(database)).published === 1, { what: 'a row published by the poll alone' });
  });
});

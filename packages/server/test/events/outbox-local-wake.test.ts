import { describe, expect, it } from 'vitest';
import { wakeOutboxPublishers } from '../../src/coordinator/shared/outbox-wakeup-repository.ts';
import type { Database } from '../../src/db/database.ts';
import { enqueueEvents } from '../../src/events/enqueue-event.ts';
import type { EventBus } from '../../src/events/event-bus.ts';
import { EventBusUnavailableError } from '../../src/events/event-bus-unavailable-error.ts';
import { registerLocalOutboxPublisher, wakeLocalOutboxPublisher } from '../../src/events/outbox-local-wake.ts';
import { createOutboxPublisher, type OutboxPublisher } from '../../src/events/outbox-publisher.ts';
import { Topics } from '../../src/events/topics.ts';
import { testBackends } from '../helpers/backends.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { usePublisherBackend, type EventBackend } from './support/event-backend.ts';
import { manualTimers } from './support/manual-timers.ts';
import { nextTime } from './support/next-time.ts';
import { outboxStatusCounts } from './support/outbox-fixtures.ts';

/** The database as one process sees it (its own object, as a replica's is), with the NOTIFYs it sends counted. */
function processDatabase(database: Database): { database: Database; notifies(): number } {
  let notifies = 0;
  return {
    database: {
      ...database,
      query: (sql, params, options) => {
        if (sql.includes('pg_notify')) notifies += 1;
        return database.query(sql, params, options);
      },
    },
    notifies: () => notifies,
  };
}

/** Commits `count` rows without a NOTIFY of their own, then wakes the publishers as the Coordinator does. */
async function commitAndWake(database: Database, count: number): Promise<void> {
  await database.transaction((transaction) =>
    enqueueEvents(
      transaction,
      Array.from({ length: count }, (_, sequence) => ({ topic: Topics.agentsLifecycle, type: 'session_spawned', zoneId: 'zone_wake', payload: { sequence } })),
      { notify: false },
    ),
  );
  wakeOutboxPublishers(database);
}

describe.each(testBackends())('waking the outbox publisher after a commit on $name', (backend) => {
  let events: EventBackend;
  let bus: EventBus;
  const running = usePublisherBackend(backend, async (opened) => {
    events = opened;
    bus = await opened.openBus();
  });

  /** A publisher that polls hourly: within a test only a wake makes it publish. */
  const startPublisher = async (
    database: Database,
    options: { bus?: EventBus; busUnavailable?: () => void; timers?: ReturnType<typeof manualTimers> } = {},
  ): Promise<OutboxPublisher> => {
    const publisher = createOutboxPublisher({
      database,
      bus: options.bus ?? bus,
      signingSecret: 'local-wake-secret',
      publisherId: 'local-wake',
      pollIntervalMs: 3_600_000,
      ...(options.timers === undefined ? {} : { timers: options.timers }),
      observer: { busUnavailable: () => options.busUnavailable?.() },
    });
    running.push(publisher);
    await publisher.start();
    return publisher;
  };

  it('wakes the publisher of the committing process in-process, without a NOTIFY', async () => {
    const own = processDatabase(events.database);
    await startPublisher(own.database);
    await commitAndWake(own.database, 3);
    await waitFor(async () => (await outboxStatusCounts(events.database)).published === 3, { what: 'three published rows' });
    expect(own.notifies()).toBe(0);
  });

  it('NOTIFYs the other replicas from a process that runs no publisher', async () => {
    const replica = processDatabase(events.database);
    await startPublisher(replica.database);
    const own = processDatabase(events.database);
    await commitAndWake(own.database, 2);
    await waitFor(async () => (await outboxStatusCounts(events.database)).published === 2, { what: 'two rows published by the other replica' });
    expect(own.notifies()).toBe(1);
  });

  it('NOTIFYs the other replicas when the own publisher cannot publish (its bus is down), and once it has stopped', async () => {
    const own = processDatabase(events.database);
    const unreachable: EventBus = {
      ...bus,
      kind: bus.kind,
      publish: () => Promise.reject(new EventBusUnavailableError('the bus is down')),
      ping: () => Promise.reject(new EventBusUnavailableError('the bus is down')),
    };
    const down = nextTime();
    const publisher = await startPublisher(own.database, { bus: unreachable, busUnavailable: down.fire });
    expect(wakeLocalOutboxPublisher(own.database)).toBe(true);
    await commitAndWake(own.database, 1);
    await down.promise;
    expect(wakeLocalOutboxPublisher(own.database)).toBe(false);
    await publisher.stop({ flushTimeoutMs: 0 });
    expect(wakeLocalOutboxPublisher(own.database)).toBe(false);
  });

  it('leaves the rows to the other replicas’ poll when the woken process dies before publishing them', async () => {
    const own = processDatabase(events.database);
    // The own publisher takes the wake and dies before its batch.
    const unregister = registerLocalOutboxPublisher(own.database, () => true);
    const timers = manualTimers();
    const polling = timers.nextScheduled();
    await startPublisher(processDatabase(events.database).database, { timers });
    await polling;
    await commitAndWake(own.database, 2);
    expect(own.notifies()).toBe(0);
    expect(await outboxStatusCounts(events.database)).toEqual({ pending: 2 });
    timers.fireNext();
    await waitFor(async () => (await outboxStatusCounts(events.database)).published === 2, { what: 'two rows published by the poll' });
    unregister();
  });

  it('asks the next registered publisher when one declines, and unregisters', () => {
    const own = processDatabase(events.database);
    const woken: string[] = [];
    const unregisterDeclining = registerLocalOutboxPublisher(own.database, () => false);
    const unregisterWilling = registerLocalOutboxPublisher(own.database, () => woken.push('willing') > 0);
    expect(wakeLocalOutboxPublisher(own.database)).toBe(true);
    unregisterWilling();
    expect(wakeLocalOutboxPublisher(own.database)).toBe(false);
    unregisterDeclining();
    expect(woken).toEqual(['willing']);
    wakeOutboxPublishers(own.database);
    expect(own.notifies()).toBe(1);
  });
});

import pino from 'pino';
import { describe, expect } from 'vitest';
import type { ServerConfig } from '../../src/config.ts';
import type { Database } from '../../src/db/database.ts';
import { enqueueEvents } from '../../src/events/enqueue-event.ts';
import type { EventBus } from '../../src/events/event-bus.ts';
import { Topics } from '../../src/events/topics.ts';
import type { JobTasks } from '../../src/jobs/job-tasks.ts';
import { startJobs } from '../../src/jobs/start-jobs.ts';
import type { ServerContext } from '../../src/server-context.ts';
import { serverMetrics } from '../../src/server-metrics.ts';
import { testBackends } from '../helpers/backends.ts';
import { serverTest } from '../helpers/fixtures.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { testConfig } from '../events/support/feed-app.ts';
import { fakeTokenVerifier } from '../events/support/fake-token-verifier.ts';
import { outboxStatusCounts } from '../events/support/outbox-fixtures.ts';

function contextFor(database: Database, bus: EventBus, now: () => number, config: Partial<ServerConfig> = {}): ServerContext {
  return {
    database,
    bus,
    config: { ...testConfig(), ...config },
    tokenVerifier: fakeTokenVerifier(),
    logger: pino({ level: 'silent' }),
    now,
  };
}

describe.each(testBackends())('startJobs on $name', (backend) => {
  serverTest.override('backend', backend);

  serverTest('publishes the outbox, relays it, and counts both in the metrics', async ({ events }) => {
    await events.resetOutbox();
    const context = contextFor(events.database, await events.openBus(), Date.now);
    const jobs = startJobs(context, { settings: { outboxPollIntervalMs: 3_600_000 } });
    await events.database.transaction((transaction) =>
      enqueueEvents(transaction, [{ topic: Topics.agentsLifecycle, type: 'session_spawned', zoneId: 'zone_a', payload: {} }]),
    );
    const metrics = serverMetrics(context);
    await waitFor(async () => (await metrics.relayEntries.get()).values.some((value) => value.labels.outcome === 'delivered'), {
      what: 'a relayed entry',
    });
    await jobs.stop();
    expect(await outboxStatusCounts(events.database)).toEqual({ published: 1 });
    const text = await metrics.registry.metrics();
    expect(text).toContain('caracal_events_published_total{topic="caracal.agents.lifecycle"} 1');
    expect(text).toContain('caracal_relay_entries_total{topic="caracal.agents.lifecycle",outcome="delivered"} 1');
    expect(text).toMatch(/caracal_outbox_pending 0/);
  });

  serverTest('runs the sweepers with the injected time and the retention cleaner over outbox and history', async ({ events }) => {
    await events.resetOutbox();
    const now = Date.parse('2031-06-01T12:00:00Z');
    const day = 24 * 3_600_000;
    await events.database.query(
      `INSERT INTO caracal_outbox (topic, event_type, zone_id, payload, status, published_at) VALUES
         ('t', 'old', 'z', '{}', 'published', $1::timestamptz),
         ('t', 'recent', 'z', '{}', 'published', $2::timestamptz),
         ('t', 'dead', 'z', '{}', 'dead', NULL)`,
      [new Date(now - 8 * day).toISOString(), new Date(now - 6 * day).toISOString()],
    );
    const calls: Array<[string, number]> = [];
    const record = (name: keyof JobTasks) => async (_database: Database, at: Date) => {
      calls.push([name, at.getTime()]);
    };
    const context = contextFor(events.database, await events.openBus(), () => now);
    const jobs = startJobs(context, {
      instanceId: 'jobs-test',
      tasks: {
        expireSessionsAndEdges: record('expireSessionsAndEdges'),
        markStaleServicesUnhealthy: record('markStaleServicesUnhealthy'),
        expireOverdueInvocations: record('expireOverdueInvocations'),
        deleteFinishedHistory: record('deleteFinishedHistory'),
        deleteExpiredTimelineEvents: record('deleteExpiredTimelineEvents'),
      },
      settings: { ttlSweepIntervalMs: 5, leaseSweepIntervalMs: 5, deadlineIntervalMs: 5, retentionIntervalMs: 5, retentionWindowMs: 7 * day, timelineRetentionMs: 30 * day },
    });
    await waitFor(() => new Set(calls.map(([name]) => name)).size === 5, { what: 'every sweeper to run' });
    await jobs.stop();
    expect(Object.fromEntries(calls)).toEqual({
      expireSessionsAndEdges: now,
      markStaleServicesUnhealthy: now,
      expireOverdueInvocations: now,
      deleteFinishedHistory: now - 7 * day,
      deleteExpiredTimelineEvents: now - 30 * day,
    });
    const left = await events.database.query<{ event_type: string }>('SELECT event_type FROM caracal_outbox ORDER BY event_type');
    expect(left.rows.map((row) => row.event_type)).toEqual(['dead', 'recent']);
    // With the clock frozen each job ran once: its lease blocks further ticks until time moves.
    expect(calls).toHaveLength(5);
  });
});

import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { runSettingsOf } from '../coordinator/runs/run-settings.ts';
import { createEventRelay } from '../events/event-relay.ts';
import { createOutboxPublisher } from '../events/outbox-publisher.ts';
import { deletePublishedOutboxRows } from '../events/outbox-store.ts';
import { ALL_TOPICS } from '../events/topics.ts';
import type { ServerContext } from '../server-context.ts';
import { serverMetrics } from '../server-metrics.ts';
import { DEFAULT_JOB_TASKS } from './default-job-tasks.ts';
import { DEFAULT_JOB_SETTINGS, type JobSettings } from './job-settings.ts';
import type { JobTasks } from './job-tasks.ts';
import { createPeriodicJob, type JobOutcome } from './periodic-job.ts';

export interface StartJobsOptions {
  /** Replaces some or all of the Coordinator sweepers (tests, custom deployments). */
  tasks?: Partial<JobTasks>;
  /** Overrides `context.config.jobSettings` and the defaults. */
  settings?: Partial<JobSettings>;
  /** Names this replica in `published_by` and the lease table. Default host:pid:random. */
  instanceId?: string;
}

export interface RunningJobs {
  /** Stops every job, waits for in-flight work, and flushes the outbox publisher. */
  stop(): Promise<void>;
}

/** Published outbox rows deleted per retention statement. */
const RETENTION_CHUNK = 5000;

/**
 * Starts the background jobs: outbox publisher, lifecycle relay, TTL sweeper,
 * service lease sweeper, deadline enforcer, run sweeper and retention cleaner. Each is safe with several
 * replicas: the publisher claims with SKIP LOCKED, the periodic jobs take a lease per tick, and
 * the relay is per process by nature. Time comes from `context.now`.
 */
export function startJobs(context: ServerContext, options: StartJobsOptions = {}): RunningJobs {
  const settings: JobSettings = { ...DEFAULT_JOB_SETTINGS, ...context.config.jobSettings, ...options.settings };
  const tasks: JobTasks = { ...DEFAULT_JOB_TASKS, ...options.tasks };
  const instanceId = options.instanceId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const metrics = serverMetrics(context);
  const { database, bus, logger } = context;

  const publisher = createOutboxPublisher({
    database,
    bus,
    signingSecret: context.config.eventSigningSecret,
    publisherId: instanceId,
    batchSize: settings.outboxBatchSize,
    concurrency: settings.outboxConcurrency,
    maxAttempts: settings.outboxMaxAttempts,
    pollIntervalMs: settings.outboxPollIntervalMs,
    backoffBaseMs: settings.outboxBackoffBaseMs,
    backoffCapMs: settings.outboxBackoffCapMs,
    now: context.now,
    observer: {
      published: (topic, count) => metrics.eventsPublished.inc({ topic }, count),
      failed: (row, error, dead) => {
        metrics.publishFailures.inc({ topic: row.topic, outcome: dead ? 'dead' : 'retry' });
        if (dead) logger.error({ err: error, outboxId: row.id, topic: row.topic }, 'outbox row is dead after its last attempt');
      },
      busUnavailable: (error) => logger.warn({ err: error }, 'event bus unavailable; outbox publisher waiting'),
      loopError: (error) => logger.warn({ err: error }, 'outbox publisher round failed'),
      listenInterrupted: (error) => logger.warn({ err: error }, 'outbox LISTEN connection lost; polling until it is back'),
      listenRestored: () => logger.info('outbox LISTEN connection restored'),
    },
  });

  const relay = createEventRelay({
    bus,
    signingSecret: context.config.eventSigningSecret,
    topics: ALL_TOPICS,
    dedupeCapacity: settings.relayDedupeCapacity,
    onEntry: (topic, outcome) => {
      metrics.relayEntries.inc({ topic, outcome });
      if (outcome === 'forged') logger.warn({ topic }, 'relay dropped a bus entry with a bad origin signature');
    },
    onListenerError: (error) => logger.warn({ err: error }, 'relay listener failed'),
  });
  relay.on(ALL_TOPICS[0]!, (event) => logger.debug({ outboxId: event.outboxId, type: event.type }, 'lifecycle event relayed'));

  const onRun = (job: string, outcome: JobOutcome, error?: unknown): void => {
    metrics.jobRuns.inc({ job, outcome });
    if (error !== undefined) logger.warn({ err: error, job }, 'background job failed');
  };
  const periodic = (name: string, intervalMs: number, run: (now: Date) => Promise<unknown>) =>
    createPeriodicJob({ name, intervalMs, run, database, owner: instanceId, now: context.now, onRun });
  const periodicJobs = [
    periodic('ttl-sweeper', settings.ttlSweepIntervalMs, (now) => tasks.expireSessionsAndEdges(database, now)),
    periodic('service-lease-sweeper', settings.leaseSweepIntervalMs, (now) => tasks.markStaleServicesUnhealthy(database, now)),
    periodic('deadline-enforcer', settings.deadlineIntervalMs, (now) => tasks.expireOverdueInvocations(database, now)),
    periodic('run-sweeper', settings.runSweepIntervalMs, (now) => tasks.sweepRuns(database, now, runSettingsOf(context))),
    periodic('retention-cleaner', settings.retentionIntervalMs, async (now) => {
      const olderThan = new Date(now.getTime() - settings.retentionWindowMs);
      while ((await deletePublishedOutboxRows(database, { olderThan, limit: RETENTION_CHUNK })) === RETENTION_CHUNK);
      // Timelines first: a terminated session stays while its timeline does.
      await tasks.deleteExpiredTimelineEvents(database, new Date(now.getTime() - settings.timelineRetentionMs));
      await tasks.deleteFinishedHistory(database, olderThan);
    }),
  ];

  const started = (async () => {
    // The relay is positioned first, so it sees everything this process publishes. A bus that is
    // down at start does not hold it up: its subscriptions keep retrying on their own.
    await relay.start().catch((error: unknown) => logger.warn({ err: error }, 'lifecycle relay could not start'));
    await publisher.start();
    for (const job of periodicJobs) job.start();
  })();

  let stopping: Promise<void> | undefined;
  return {
    stop: () =>
      (stopping ??= (async () => {
        await started;
        await Promise.all(periodicJobs.map((job) => job.stop()));
        await publisher.stop({ flushTimeoutMs: settings.outboxFlushTimeoutMs });
        await relay.stop();
      })()),
  };
}

import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The server's Prometheus instruments, all on one registry per server (never prom-client's global one). */
export interface ServerMetrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status_code'>;
  httpRequestDuration: Histogram<'method' | 'route' | 'status_code'>;
  outboxPending: Gauge;
  outboxDead: Gauge;
  jobRuns: Counter<'job' | 'outcome'>;
  eventsPublished: Counter<'topic'>;
  publishFailures: Counter<'topic' | 'outcome'>;
  relayEntries: Counter<'topic' | 'outcome'>;
  groupFallbacks: Counter<'group'>;
}

/** The outbox's waiting and given-up rows, read when the gauges are scraped. */
export type OutboxBacklogReader = () => Promise<{ pending: number; dead: number }>;

/** Builds a fresh registry; the outbox gauges call `readOutboxBacklog` when scraped. */
export function createServerMetrics(options: { readOutboxBacklog: OutboxBacklogReader }): ServerMetrics {
  const registry = new Registry();
  let backlog: Promise<{ pending: number; dead: number } | undefined> | undefined;
  // Both gauges come from one query per scrape; a failed query keeps the last values.
  const readBacklog = (): Promise<{ pending: number; dead: number } | undefined> =>
    (backlog ??= options
      .readOutboxBacklog()
      .catch(() => undefined)
      .finally(() => {
        backlog = undefined;
      }));

  const backlogGauge = (name: string, help: string, field: 'pending' | 'dead'): Gauge => {
    const gauge: Gauge = new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const counts = await readBacklog();
        if (counts !== undefined) gauge.set(counts[field]);
      },
    });
    return gauge;
  };
  const outboxPending = backlogGauge('caracal_outbox_pending', 'Outbox rows waiting to be published', 'pending');
  const outboxDead = backlogGauge('caracal_outbox_dead', 'Outbox rows given up on after the maximum attempts', 'dead');
  // The process's memory, read at scrape time (a soak watches it for growth); the names are the
  // ones prom-client's default collectors use, without their timers and event-loop histograms.
  const memoryGauge = (name: string, help: string, read: (usage: NodeJS.MemoryUsage) => number): void => {
    const gauge: Gauge = new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        gauge.set(read(process.memoryUsage()));
      },
    });
  };
  memoryGauge('process_resident_memory_bytes', 'Resident memory size in bytes', (usage) => usage.rss);
  memoryGauge('nodejs_heap_size_used_bytes', 'V8 heap in use, in bytes', (usage) => usage.heapUsed);
  memoryGauge('nodejs_heap_size_total_bytes', 'V8 heap allocated, in bytes', (usage) => usage.heapTotal);

  return {
    registry,
    outboxPending,
    outboxDead,
    httpRequests: new Counter({
      name: 'caracal_http_requests_total',
      help: 'HTTP requests answered, by route pattern and status',
      labelNames: ['method', 'route', 'status_code'],
      registers: [registry],
    }),
    httpRequestDuration: new Histogram({
      name: 'caracal_http_request_duration_seconds',
      help: 'HTTP request latency, by route pattern and status',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    jobRuns: new Counter({
      name: 'caracal_job_runs_total',
      help: 'Background job runs, by job and outcome (ok, error, skipped when another replica holds the lease)',
      labelNames: ['job', 'outcome'],
      registers: [registry],
    }),
    eventsPublished: new Counter({
      name: 'caracal_events_published_total',
      help: 'Outbox rows published to the event bus, by topic',
      labelNames: ['topic'],
      registers: [registry],
    }),
    publishFailures: new Counter({
      name: 'caracal_outbox_publish_failures_total',
      help: 'Failed publishes of outbox rows, by topic and outcome (retry or dead)',
      labelNames: ['topic', 'outcome'],
      registers: [registry],
    }),
    groupFallbacks: new Counter({
      name: 'caracal_group_fallbacks_total',
      help:
        'Requests a group statement could not answer, answered by a statement of their own, by group (spawn, claim). ' +
        'A group short of free seats falls back by design; a count that climbs with every group means the group statement is failing',
      labelNames: ['group'],
      registers: [registry],
    }),
    relayEntries: new Counter({
      name: 'caracal_relay_entries_total',
      help: 'Bus entries seen by the lifecycle relay, by topic and outcome (delivered, forged, malformed, duplicate)',
      labelNames: ['topic', 'outcome'],
      registers: [registry],
    }),
  };
}

import { afterEach, describe, expect } from 'vitest';
import type { BusEntry, EventBus } from '../../src/events/event-bus.ts';
import { openEventBus } from '../../src/events/open-event-bus.ts';
import { Topics } from '../../src/events/topics.ts';
import { serverContextOf } from '../../src/server-context.ts';
import { testBackends } from '../helpers/backends.ts';
import { serverTest } from '../helpers/fixtures.ts';
import { bootstrapZone, clientCredentialsToken } from '../helpers/sts-fixtures.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { openSseStream } from './support/sse-client.ts';

describe.each(testBackends())('graceful shutdown on $name', (backend) => {
  serverTest.override('backend', backend);
  let watcher: EventBus | undefined;
  afterEach(async () => {
    await watcher?.close();
  });

  serverTest('ends open feeds and flushes the outbox before closing, then stops accepting', async ({ startServer }) => {
    const keyPrefix = `shutdown_${Date.now()}:`;
    // No polling to speak of: only the NOTIFY wake-up or the flush on close publish rows.
    const server = await startServer({ jobSettings: { outboxPollIntervalMs: 3_600_000 } }, { keyPrefix });
    // The in-process bus is the server's own; Redis is watched from a connection of our own.
    watcher = backend.redisUrl === undefined ? undefined : await openEventBus({ redisUrl: backend.redisUrl, keyPrefix });
    const seen: BusEntry[] = [];
    await (watcher ?? serverContextOf(server).bus).subscribe(Topics.agentsLifecycle, (entry) => seen.push(entry));

    const zone = await bootstrapZone(server);
    const application = zone.applications.orchestrator!;
    const token = await clientCredentialsToken(server.url, application.id, application.secret);
    const feed = await openSseStream(`${server.url}/zones/${zone.zoneId}/events?access_token=${token}`);
    expect(feed.status).toBe(200);
    await feed.ready;

    // Committed without a NOTIFY: nothing wakes the publisher, so only the shutdown flush sends them.
    await serverContextOf(server).database.query(
      `INSERT INTO caracal_outbox (topic, event_type, zone_id, payload)
       SELECT $1, 'session_spawned', $2, jsonb_build_object('n', n) FROM generate_series(1, 120) AS n`,
      [Topics.agentsLifecycle, zone.zoneId],
    );
    await server.close();
    await feed.ended;
    await waitFor(() => seen.length === 120, { what: 'the flushed rows on the bus' });
    expect(new Set(seen.map((entry) => entry.fields.outbox_id)).size).toBe(120);
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
  }, 60_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/start-server.ts';
import { dropSchema, serverOptionsOn, testBackends } from '../helpers/backends.ts';
import { startTestServer } from '../helpers/start-test-server.ts';
import { bootstrapZone, clientCredentialsToken } from '../helpers/sts-fixtures.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { openSseStream } from '../events/support/sse-client.ts';

describe.each(testBackends())('default sweepers on $name', (backend) => {
  let server: RunningServer;
  let schema: string | undefined;

  beforeAll(async () => {
    schema = backend.schema();
    server = await startTestServer({
      port: 0,
      logger: false,
      jobSettings: { ttlSweepIntervalMs: 50 },
      ...serverOptionsOn(backend, schema, { keyPrefix: `sweepers_${Date.now()}:` }),
    });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await dropSchema(schema);
  });

  it('the TTL sweeper terminates an expired session and its events reach the live feed', async () => {
    const zone = await bootstrapZone(server);
    const application = zone.applications.orchestrator!;
    const token = await clientCredentialsToken(server.url, application.id, application.secret);
    const feed = await openSseStream(`${server.url}/zones/${zone.zoneId}/events?topics=caracal.agents.lifecycle,caracal.sessions.revoke`, {
      authorization: `Bearer ${token}`,
    });
    await feed.ready;
    const spawned = await fetch(`${server.url}/zones/${zone.zoneId}/agents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ttl_seconds: 1 }),
    });
    expect(spawned.status).toBe(201);
    const sessionId = ((await spawned.json()) as { agent_session_id: string }).agent_session_id;

    // Waits on the feed itself: spawned, then terminated by the sweeper once the second has passed.
    const types = (): string[] =>
      feed.messages
        .map((message) => JSON.parse(message.data) as { type: string; payload: Record<string, unknown> })
        .filter((event) => JSON.stringify(event.payload).includes(sessionId))
        .map((event) => event.type);
    await waitFor(() => types().includes('session_terminated'), { what: 'the expiry on the feed', timeoutMs: 15_000 });
    expect(types()[0]).toBe('session_spawned');
    feed.close();
    const session = await fetch(`${server.url}/zones/${zone.zoneId}/agents/${sessionId}`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await session.json()) as { status: string }).status).toBe('terminated');
  }, 30_000);
});

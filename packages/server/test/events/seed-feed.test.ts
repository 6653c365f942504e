import { TIMELINE_TOPIC } from '@caracal/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { enqueueSessionChanges, enqueueSessionDeleted } from '../../src/coordinator/timeline/session-changes.ts';
import { appendTimelineEvents } from '../../src/coordinator/timeline/timeline-repository.ts';
import type { TimelineEntry } from '../../src/coordinator/timeline/timeline-entry.ts';
import { enqueueEvents } from '../../src/events/enqueue-event.ts';
import { Topics } from '../../src/events/topics.ts';
import { testBackends } from '../helpers/backends.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { tokenFor } from './support/fake-token-verifier.ts';
import { useFeedServer } from './support/feed-server.ts';
import { insertSeedSession, sessionIdAt } from './support/seed-sessions.ts';
import { openSseStream, type SseStream } from './support/sse-client.ts';
import { openWsClient, type WsClient } from './support/ws-client.ts';

/** Zone a: two sessions of app_one, one of app_two; zone b: one of app_one. */
const S1 = sessionIdAt(1);
const S2 = sessionIdAt(2);
const S3 = sessionIdAt(3);
const S4 = sessionIdAt(4);
/** Deleted from the seed views (DELETE /sessions/{id}): in no init, refused as a filter. */
const S5 = sessionIdAt(5);
const OWNERS: Record<string, [zone: string, application: string]> = {
  [S1]: ['zone_a', 'app_one'],
  [S2]: ['zone_a', 'app_one'],
  [S3]: ['zone_a', 'app_two'],
  [S4]: ['zone_b', 'app_one'],
  [S5]: ['zone_a', 'app_one'],
};

const operator = tokenFor('zone_a');
const appOne = tokenFor('zone_a', 'agent:lifecycle', 'app_one');
const appTwo = tokenFor('zone_a', 'agent:lifecycle', 'app_two');

type Message = Record<string, unknown>;

describe.each(testBackends())('Agent Coordinator live feeds on $name', (backend) => {
  const feed = useFeedServer(backend, { publisherId: 'seed-feeds', cors: true });
  let counter = 0;

  beforeAll(async () => {
    for (const [index, id] of [S1, S2, S3, S4, S5].entries()) {
      const [zoneId, applicationId] = OWNERS[id]!;
      await insertSeedSession(feed.events.database, { id, zoneId, applicationId, spawnedAt: new Date(Date.UTC(2026, 11, 4, 10, index)).toISOString() });
    }
    await feed.events.database.query('UPDATE agent_sessions SET seed_deleted_at = now() WHERE id = $1', [S5]);
  });

  const ws = async (query: string, headers: Record<string, string> = {}): Promise<WsClient> =>
    feed.track(await openWsClient(`${feed.url.replace('http', 'ws')}/ws${query}`, headers));
  const sse = async (query: string, headers: Record<string, string> = {}): Promise<SseStream> =>
    feed.track(await openSseStream(`${feed.url}/sse/sessions${query}`, headers));
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const sseMessages = (stream: SseStream): Message[] => stream.messages.map((message) => JSON.parse(message.data) as Message);

  /** One agent event on `sessionId`, committed in its own transaction; its `n` tells it apart. */
  const append = (sessionId: string): Promise<number> => {
    const [zoneId, applicationId] = OWNERS[sessionId]!;
    counter += 1;
    const entry: TimelineEntry = { zoneId, sessionId, applicationId, eventType: 'message', source: 'agent', body: { role: 'assistant', content: [{ n: counter }] } };
    return feed.events.database.transaction(async (transaction) => (await appendTimelineEvents(transaction, [entry], Date.now()))[0]!.id);
  };

  /** A mixed sequence over every session and both zones, each write its own commit. */
  const writeMixed = async (): Promise<void> => {
    await append(S1);
    await append(S3);
    await append(S4);
    await feed.events.database.transaction((transaction) => enqueueSessionChanges(transaction, 'session_updated', [S2]));
    await feed.events.database.transaction((transaction) => enqueueSessionChanges(transaction, 'session_created', [S3, S4]));
    await append(S2);
    await feed.events.database.transaction((transaction) =>
      enqueueEvents(transaction, [
        { topic: TIMELINE_TOPIC, type: 'run_failed', zoneId: 'zone_a', payload: { run_id: 'run_1', session_id: S3, error: 'boom', zone_id: 'zone_a', application_id: 'app_two' } },
        { topic: TIMELINE_TOPIC, type: 'not_for_the_seed_feed', zoneId: 'zone_a', payload: { session_id: S3, zone_id: 'zone_a', application_id: 'app_two' } },
      ]),
    );
    await feed.events.database.transaction((transaction) => enqueueSessionDeleted(transaction, { zoneId: 'zone_a', applicationId: 'app_one', sessionId: S1 }));
  };
  /** What zone a's operator sees of `writeMixed`, as message types and sessions. */
  const MIXED_FOR_OPERATOR = ['event S1', 'event S3', 'session_updated S2', 'session_created S3', 'event S2', 'run_failed S3', 'session_deleted S1'];
  const summary = (message: Message): string => {
    const names: Record<string, string> = { [S1]: 'S1', [S2]: 'S2', [S3]: 'S3', [S4]: 'S4' };
    const sessionId =
      message.type === 'event'
        ? (message.data as Message).session_id
        : message.type === 'session_created' || message.type === 'session_updated'
          ? (message.session as Message).session_id
          : message.session_id;
    return `${String(message.type)} ${names[String(sessionId)] ?? String(sessionId)}`;
  };

  it('refuses bad tokens, bad session filters and bad cursors with a plain 4xx before streaming or upgrading', async () => {
    const checks: Array<[string, Record<string, string>, number, string]> = [
      ['', {}, 401, 'invalid_token'],
      ['?access_token=nonsense', {}, 401, 'invalid_token'],
      [`?access_token=${tokenFor('zone_a', 'tools:call')}`, {}, 403, 'insufficient_scope'],
      [`?session_id=agentsess_nope&access_token=${operator}`, {}, 400, 'invalid_request'],
      [`?session_id=${S4}&access_token=${operator}`, {}, 404, 'not_found'],
      [`?session_id=${S3}&access_token=${appOne}`, {}, 404, 'not_found'],
      [`?session_id=${sessionIdAt(99)}&access_token=${operator}`, {}, 404, 'not_found'],
      [`?session_id=${S5}&access_token=${operator}`, {}, 404, 'not_found'],
    ];
    for (const [query, headers, status, error] of checks) {
      const stream = await fetch(`${feed.url}/sse/sessions${query}`, { headers });
      expect({ query, status: stream.status, body: await stream.json() }).toMatchObject({ query, status, body: { error } });
      const socket = await ws(query, headers);
      expect({ query, status: socket.status, body: socket.refusal }).toMatchObject({ query, status, body: { error } });
    }
    for (const cursor of ['garbage', `${Topics.agentsLifecycle}@1-0`]) {
      const refused = await fetch(`${feed.url}/sse/sessions`, { headers: { ...bearer(operator), 'last-event-id': cursor } });
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({ error: 'invalid_request' });
    }
    // The two /ws protocols do not mix their parameters.
    expect((await ws(`?topics=${Topics.agentsLifecycle}`, bearer(operator))).status).toBe(400);
    expect((await ws(`?cursor=${TIMELINE_TOPIC}@1-0`, bearer(operator))).status).toBe(400);
    expect((await ws(`?zone_id=zone_a&session_id=${S1}`, bearer(operator))).status).toBe(400);
    expect((await ws('?zone_id=zone_b', bearer(operator))).status).toBe(403);
  });

  it('sends init, then the same messages in the same order to a /ws client and an SSE client', async () => {
    const socket = await ws('', bearer(operator));
    const stream = await sse(`?access_token=${operator}`);
    expect(socket.status).toBe(101);
    expect(stream.status).toBe(200);
    const [wsInit] = await socket.waitForMessages(1);
    const [sseInit] = await stream.waitForMessages(1);
    expect(wsInit).toMatchObject({ type: 'init' });
    expect((wsInit!.sessions as Message[]).map((session) => session.session_id)).toEqual([S3, S2, S1]);
    expect(sseInit!.event).toBe('init');
    expect(sseInit!.id).toMatch(/^caracal\.sessions\.timeline@\d+-\d+$/);
    expect(JSON.parse(sseInit!.data)).toEqual(wsInit);

    await writeMixed();
    await socket.waitForMessages(1 + MIXED_FOR_OPERATOR.length);
    await stream.waitForMessages(1 + MIXED_FOR_OPERATOR.length);
    // Both clients get the same messages in the same order: the bus's. That order is the commit
    // order unless a publish is retried (the outbox is at least once, not ordered across a retried
    // batch: docs/events.md), which a loaded CI machine did once; so the set is checked against the writes.
    expect(sseMessages(stream)).toEqual(socket.messages);
    expect(stream.messages.slice(1).map((message) => message.event)).toEqual(socket.messages.slice(1).map((message) => message.type));
    expect(socket.messages.slice(1).map(summary).sort()).toEqual([...MIXED_FOR_OPERATOR].sort());

    const byType = (type: string) => socket.messages.filter((message) => message.type === type);
    const event = byType('event').find((message) => (message.data as Message).session_id === S1)!;
    expect(event.data).toMatchObject({ session_id: S1, event_type: 'message', source: 'agent', role: 'assistant' });
    expect(event.data).not.toHaveProperty('zone_id');
    expect(byType('session_updated')).toMatchObject([{ type: 'session_updated', session: { session_id: S2, status: 'running', authority_status: 'active', application_id: 'app_one' } }]);
    expect(byType('run_failed')).toEqual([{ type: 'run_failed', run_id: 'run_1', session_id: S3, error: 'boom' }]);
    expect(byType('session_deleted')).toEqual([{ type: 'session_deleted', session_id: S1 }]);
  });

  it('answers a page on another origin with the CORS headers on both SSE feeds (the streams are written raw)', async () => {
    for (const path of ['/sse/sessions', '/zones/zone_a/events']) {
      const stream = await openSseStream(`${feed.url}${path}?access_token=${operator}`, { origin: 'http://dashboard.example' });
      feed.track(stream);
      expect({ path, status: stream.status, origin: stream.headers.get('access-control-allow-origin') }).toEqual({ path, status: 200, origin: '*' });
    }
  });

  it('replays exactly what an SSE client missed when it reconnects with Last-Event-ID, without init', async () => {
    const first = await sse('', bearer(operator));
    await first.waitForMessages(1);
    const written: number[] = [];
    for (let index = 0; index < 10; index += 1) written.push(await append(index % 2 === 0 ? S1 : S3));
    await first.waitForMessages(11);
    // The client drops having taken only some of what reached it.
    const kept = first.messages.slice(0, 7);
    first.close();
    for (let index = 0; index < 10; index += 1) written.push(await append(index % 2 === 0 ? S2 : S3));

    const resumed = await sse(`?access_token=${operator}`, { 'last-event-id': kept.at(-1)!.id! });
    await resumed.waitForMessages(written.length - 6);
    const all = [...kept.slice(1), ...resumed.messages].map((message) => JSON.parse(message.data) as Message);
    expect(all.map((message) => (message.data as Message).id)).toEqual(written);
    expect(resumed.messages.some((message) => message.event === 'init')).toBe(false);

    // From the init's own id (a client that dropped right after connecting), by query parameter.
    const fromInit = await sse(`?last_event_id=${encodeURIComponent(kept[0]!.id!)}`, bearer(operator));
    await fromInit.waitForMessages(written.length);
    expect(fromInit.messages.map((message) => (JSON.parse(message.data) as Message).data).map((data) => (data as Message).id)).toEqual(written);
  });

  it('starts over with init when the cursor is older than what the bus still holds (a replay would have a hole)', async () => {
    const earlier = await append(S1);
    const onBus = async (): Promise<boolean> =>
      (await feed.bus.read(TIMELINE_TOPIC, { afterId: '0', limit: 100_000 })).some((entry) => (JSON.parse(entry.fields.payload!) as { id?: number }).id === earlier);
    await waitFor(onBus, { what: 'the earlier event on the bus' });
    const stale = await sse('', { ...bearer(operator), 'last-event-id': `${TIMELINE_TOPIC}@1-0` });
    await stale.waitForMessages(1);
    expect(stale.messages[0]!.event).toBe('init');
    const id = await append(S2);
    await stale.waitForMessages(2);
    expect(sseMessages(stale).slice(1)).toEqual([expect.objectContaining({ type: 'event', data: expect.objectContaining({ id }) })]);
  });

  it('filters to one session with ?session_id=', async () => {
    const socket = await ws(`?session_id=${S2}&access_token=${operator}`);
    const stream = await sse(`?session_id=${S2}`, bearer(operator));
    await socket.waitForMessages(1);
    await stream.waitForMessages(1);
    expect((socket.messages[0]!.sessions as Message[]).map((session) => session.session_id)).toEqual([S2]);
    await writeMixed();
    await append(S2);
    await socket.waitForMessages(4);
    await stream.waitForMessages(4);
    expect(socket.messages.slice(1).map(summary)).toEqual(['session_updated S2', 'event S2', 'event S2']);
    expect(sseMessages(stream)).toEqual(socket.messages);
  });

  it('shows an application only its own sessions, an operator the whole zone, nobody another zone', async () => {
    const one = await ws('', bearer(appOne));
    const two = await sse('', bearer(appTwo));
    const zoneB = await ws('', bearer(tokenFor('zone_b')));
    await one.waitForMessages(1);
    await two.waitForMessages(1);
    await zoneB.waitForMessages(1);
    expect((one.messages[0]!.sessions as Message[]).map((session) => session.session_id)).toEqual([S2, S1]);
    expect((JSON.parse(two.messages[0]!.data).sessions as Message[]).map((session) => session.session_id)).toEqual([S3]);
    expect((zoneB.messages[0]!.sessions as Message[]).map((session) => session.session_id)).toEqual([S4]);

    await writeMixed();
    // A last write each sees, so the counts below are complete.
    await append(S2);
    await append(S3);
    await append(S4);
    await one.waitForMessages(6);
    await two.waitForMessages(5);
    await zoneB.waitForMessages(4);
    // As sets: the bus order can differ from the commit order after a retried publish (see above).
    const sorted = (messages: Message[]) => messages.slice(1).map(summary).sort();
    expect(sorted(one.messages)).toEqual(['event S1', 'session_updated S2', 'event S2', 'session_deleted S1', 'event S2'].sort());
    expect(sorted(sseMessages(two))).toEqual(['event S3', 'session_created S3', 'run_failed S3', 'event S3'].sort());
    expect(sorted(zoneB.messages)).toEqual(['event S4', 'session_created S4', 'event S4'].sort());
  });

  it('keeps the zone feed on /ws with zone_id on the same server, and carries the timeline there by name', async () => {
    const zoneFeed = await ws(`?zone_id=zone_a&topics=${Topics.agentsLifecycle},${TIMELINE_TOPIC}&access_token=${operator}`);
    const seedFeed = await ws('', bearer(operator));
    await zoneFeed.waitForMessages(1);
    await seedFeed.waitForMessages(1);
    expect(zoneFeed.messages[0]).toMatchObject({ ready: true });
    await feed.events.database.transaction((transaction) =>
      enqueueEvents(transaction, [{ topic: Topics.agentsLifecycle, type: 'session_spawned', zoneId: 'zone_a', payload: { application_id: 'app_one' } }]),
    );
    const id = await append(S1);
    await zoneFeed.waitForMessages(3);
    await seedFeed.waitForMessages(2);
    // Order holds within a topic, not across topics.
    expect(zoneFeed.messages.slice(1).map((message) => `${String(message.topic)} ${String(message.type)}`).sort()).toEqual([
      `${Topics.agentsLifecycle} session_spawned`,
      `${TIMELINE_TOPIC} session_event`,
    ]);
    expect(zoneFeed.messages.find((message) => message.topic === TIMELINE_TOPIC)).toMatchObject({ payload: { id, session_id: S1, application_id: 'app_one' } });
    expect(seedFeed.messages.slice(1).map(summary)).toEqual(['event S1']);
    // The authority topics stay the zone feed's default.
    const defaults = await fetch(`${feed.url}/zones/zone_a/events?topics=nope`, { headers: bearer(operator) });
    expect(((await defaults.json()) as { error_description: string }).error_description).toContain(TIMELINE_TOPIC);
  });
});

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Caracal } from '@caracal/sdk';
import { startServer, type RunningServer } from '@caracal/server';
import { readSseFeed, readWebSocketFeed, type FeedEventJson, type FeedReader } from './helpers/feed-reader.ts';
import { serverBackends } from './helpers/server-backends.ts';

const ZONE = 'zone_feed_visibility';
const RESOURCE = 'mcp://tools.feed-visibility.e2e';
const ADMIN_TOKEN = randomUUID();
const APPS = ['app_alpha', 'app_beta', 'app_gamma'] as const;
type App = (typeof APPS)[number];

// What an application may see on the zone feed (docs/decisions/2026-12-04-feed-visibility.md):
// events it is a party to, whole; other applications' revocations, reduced to the revoked id;
// nothing else. An operator sees the whole zone.
describe.each(serverBackends())('the zone feed shows each application its own events ($name)', (backend) => {
  let server: RunningServer;
  const clients = new Map<App, Caracal>();
  const feeds: FeedReader[] = [];

  beforeAll(async () => {
    const secrets = Object.fromEntries(APPS.map((app) => [app, randomUUID()])) as Record<App, string>;
    server = await startServer({
      port: 0,
      logger: false,
      adminToken: ADMIN_TOKEN,
      jobSettings: { outboxPollIntervalMs: 50 },
      ...backend.serverOptions(),
      bootstrap: {
        zones: [{ id: ZONE, applications: APPS.map((id) => ({ id, secret: secrets[id], scopes: ['tools:call'] })), resources: [{ id: RESOURCE, scopes: ['tools:call'] }] }],
      },
    });
    for (const app of APPS) clients.set(app, new Caracal({ coordinatorUrl: server.url, zoneId: ZONE, clientId: app, clientSecret: secrets[app] }));
  });

  afterAll(async () => {
    for (const feed of feeds) feed.close();
    for (const client of clients.values()) await client.close();
    await server?.close();
    await backend.cleanup();
  });

  const call = async (app: App, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> => {
    const response = await fetch(`${server.url}/zones/${ZONE}${path}`, {
      method,
      headers: { authorization: `Bearer ${await clients.get(app)!.sessionMandate()}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect(response.status).toBeLessThan(300);
    return (await response.json()) as Record<string, unknown>;
  };

  const operatorToken = async (): Promise<string> => {
    const response = await fetch(`${server.url}/admin/zones/${ZONE}/operator-token`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { access_token: string }).access_token;
  };

  const sse = async (token: string): Promise<FeedReader> => {
    const feed = await readSseFeed(`${server.url}/zones/${ZONE}/events`, token);
    feeds.push(feed);
    await feed.ready;
    return feed;
  };

  const about = (events: FeedEventJson[], type: string, id: string): FeedEventJson[] =>
    events.filter((event) => event.type === type && Object.values(event.payload).includes(id));

  it('parties see their events whole, others only the ids a verifier needs, operators everything (SSE and WebSocket)', async () => {
    const alpha = await sse(await clients.get('app_alpha')!.sessionMandate());
    const beta = await sse(await clients.get('app_beta')!.sessionMandate());
    const gamma = await sse(await clients.get('app_gamma')!.sessionMandate());
    const gammaWs = readWebSocketFeed(`${server.url.replace('http', 'ws')}/ws?zone_id=${ZONE}`, await clients.get('app_gamma')!.sessionMandate());
    feeds.push(gammaWs);
    await gammaWs.ready;
    const operator = await sse(await operatorToken());

    const alphaSession = String((await call('app_alpha', 'POST', '/agents', {})).agent_session_id);
    const betaSession = String((await call('app_beta', 'POST', '/agents', {})).agent_session_id);
    const edge = String(
      (await call('app_alpha', 'POST', '/delegations', { source_session_id: alphaSession, target_session_id: betaSession, scopes: ['tools:call'] }))
        .delegation_edge_id,
    );
    // Ending alpha's session revokes the edge it issued; beta's session lives on.
    await call('app_alpha', 'DELETE', `/agents/${alphaSession}`);
    // A marker published last: a feed that shows it has shown (or hidden) everything before it.
    const marker = String((await call('app_gamma', 'POST', '/agents', {})).agent_session_id);
    await call('app_gamma', 'DELETE', `/agents/${marker}`);
    const all = [alpha, beta, gamma, gammaWs, operator];
    for (const feed of all) await feed.until((event) => event.type === 'session_revoked' && event.payload.agent_session_id === marker);

    // The operator sees every event whole.
    expect(about(operator.events, 'session_spawned', betaSession)).toHaveLength(1);
    expect(about(operator.events, 'session_revoked', alphaSession)[0]!.payload).toMatchObject({ application_id: 'app_alpha' });
    expect(about(operator.events, 'edge_revoke', edge)[0]!.payload).toMatchObject({ source_session_id: alphaSession, target_session_id: betaSession });

    // Alpha: its own session and edge whole; beta's spawn not at all.
    expect(about(alpha.events, 'session_spawned', alphaSession)).toHaveLength(1);
    expect(about(alpha.events, 'edge_create', edge)).toHaveLength(1);
    expect(about(alpha.events, 'session_spawned', betaSession)).toHaveLength(0);
    expect(about(alpha.events, 'session_revoked', alphaSession)[0]!.payload).toMatchObject({ application_id: 'app_alpha' });

    // Beta: the edge delegated to it whole, alpha's session only as a revoked id.
    expect(about(beta.events, 'edge_create', edge)).toHaveLength(1);
    expect(about(beta.events, 'edge_revoke', edge)[0]!.payload).toMatchObject({ source_session_id: alphaSession });
    expect(about(beta.events, 'session_spawned', alphaSession)).toHaveLength(0);
    expect(about(beta.events, 'session_revoked', alphaSession)[0]!.payload).toEqual({ agent_session_id: alphaSession, revoked_at: expect.any(String) });

    // Gamma, a stranger to both: revocations as bare ids, never a live session or another application's name.
    for (const feed of [gamma, gammaWs]) {
      expect(about(feed.events, 'session_revoked', alphaSession)[0]!.payload).toEqual({ agent_session_id: alphaSession, revoked_at: expect.any(String) });
      expect(about(feed.events, 'edge_revoke', edge)[0]!.payload).toEqual({ delegation_edge_id: edge });
      const seen = JSON.stringify(feed.events);
      expect(seen).not.toContain(betaSession);
      expect(seen).not.toContain('app_alpha');
      expect(seen).not.toContain('app_beta');
      expect(about(feed.events, 'session_spawned', marker)).toHaveLength(1);
    }
  });
});

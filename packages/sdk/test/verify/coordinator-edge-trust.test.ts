import type { IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coordinatorEdgeTrust } from '../../src/verify/index.ts';
import type { MandateClaims } from '../../src/verify/index.ts';
import { listen, type Listening } from './helpers/listen.ts';

const caller = { agent_session_id: 'agentsess_caller', client_id: 'app_caller' } as MandateClaims;
const edges: Record<string, Record<string, unknown>> = {
  deledge_good: { status: 'active', expires_at: '2999-01-01T00:00:00Z', source_session_id: 'agentsess_caller', target_session_id: 'agentsess_receiver', issuer_application_id: 'app_caller' },
  deledge_someone_elses: { status: 'active', expires_at: '2999-01-01T00:00:00Z', source_session_id: 'agentsess_x', target_session_id: 'agentsess_receiver', issuer_application_id: 'app_x' },
  deledge_revoked: { status: 'revoked', expires_at: '2999-01-01T00:00:00Z', source_session_id: 'agentsess_caller', target_session_id: 'agentsess_receiver' },
  deledge_expired: { status: 'active', expires_at: '2000-01-01T00:00:00Z', source_session_id: 'agentsess_caller', target_session_id: 'agentsess_receiver' },
};

let coordinator: Listening;
const seen: Array<{ path: string; headers: IncomingHttpHeaders }> = [];

beforeAll(async () => {
  coordinator = await listen((request, response) => {
    seen.push({ path: request.url ?? '', headers: request.headers });
    const id = decodeURIComponent((request.url ?? '').split('/').at(-1) ?? '');
    if (id === 'deledge_broken') return void response.writeHead(500).end();
    const edge = edges[id];
    if (edge === undefined) return void response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}');
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id, ...edge }));
  });
});

afterAll(async () => {
  await coordinator.close();
});

describe('coordinatorEdgeTrust', () => {
  const trust = (): ReturnType<typeof coordinatorEdgeTrust> => coordinatorEdgeTrust({ url: coordinator.url, zoneId: 'zone_a', tokenSource: async () => 'receiver-session-mandate' });

  it('trusts an active edge from the caller\'s verified session to the named session, asking with the receiver\'s token', async () => {
    expect(await trust()({ edgeId: 'deledge_good', agentSessionId: 'agentsess_receiver', caller })).toBe(true);
    expect(seen.at(-1)).toMatchObject({ path: '/zones/zone_a/delegations/deledge_good', headers: { authorization: 'Bearer receiver-session-mandate' } });
  });

  it('does not trust someone else\'s edge, another target, a revoked, expired or unknown edge, or a caller without a session', async () => {
    const check = trust();
    expect(await check({ edgeId: 'deledge_someone_elses', agentSessionId: 'agentsess_receiver', caller })).toBe(false);
    expect(await check({ edgeId: 'deledge_good', agentSessionId: 'agentsess_other', caller })).toBe(false);
    expect(await check({ edgeId: 'deledge_revoked', agentSessionId: 'agentsess_receiver', caller })).toBe(false);
    expect(await check({ edgeId: 'deledge_expired', agentSessionId: 'agentsess_receiver', caller })).toBe(false);
    expect(await check({ edgeId: 'deledge_unknown', agentSessionId: 'agentsess_receiver', caller })).toBe(false);
    expect(await check({ edgeId: 'deledge_good', agentSessionId: 'agentsess_receiver', caller: { client_id: 'app_caller' } as MandateClaims })).toBe(false);
  });

  it('fails (rather than guessing) when the Coordinator cannot answer', async () => {
    await expect(trust()({ edgeId: 'deledge_broken', agentSessionId: 'agentsess_receiver', caller })).rejects.toMatchObject({ code: 'REQUEST_FAILED' });
    const unreachable = coordinatorEdgeTrust({ url: 'http://127.0.0.1:1', zoneId: 'zone_a', token: 't' });
    await expect(unreachable({ edgeId: 'deledge_good', agentSessionId: 'agentsess_receiver', caller })).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
  });
});

import type { ServerResponse } from 'node:http';
import type { AgentSession, DelegationEdge } from '@caracal/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { AdminClient } from '../src/api/console-api.ts';
import { ZoneLive } from '../src/live/zone-live.ts';
import { edgeRow, sessionRow } from './fixtures.ts';
import { sseServer } from './sse-server.ts';
import { waitFor } from './wait-for.ts';

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** An async iterable that yields `rows` once `gate` resolves (the list read in flight). */
async function* rowsAfter<T>(gate: Promise<void>, rows: T[]): AsyncGenerator<T> {
  await gate;
  yield* rows;
}

describe('ZoneLive', () => {
  it('reads the lists after the feed is positioned, and applies what arrived meanwhile after them', async () => {
    let stream: ServerResponse | undefined;
    const server = await sseServer([
      (request, response) => {
        expect(request.url).toBe('/zones/zone_a/events');
        expect(request.headers.authorization).toBe('Bearer op.token');
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write('id: c0\nevent: ready\ndata: {"cursor":"c0"}\n\n');
        stream = response;
      },
    ]);
    cleanups.push(server.close);
    let releaseLists!: () => void;
    const lists = new Promise<void>((resolve) => (releaseLists = resolve));
    let listsAsked = false;
    const api = {
      sessions: {
        list: () => {
          listsAsked = true;
          return rowsAfter<AgentSession>(lists, [sessionRow('agentsess_01', null), sessionRow('agentsess_02', 'agentsess_01', { depth: 1 })]);
        },
      },
      delegations: { list: () => rowsAfter<DelegationEdge>(lists, [edgeRow('deledge_01', 'agentsess_01', 'agentsess_02')]) },
      timeline: { sessions: () => rowsAfter(lists, [{ session_id: 'agentsess_02', agent_name: 'researcher' }]) },
    } as unknown as AdminClient;
    const live = new ZoneLive({ api, zoneId: 'zone_a', token: () => 'op.token', onUnauthorized: () => undefined, baseUrl: server.url });
    cleanups.push(() => live.stop());
    live.start();
    await waitFor(() => listsAsked && live.status === 'live');
    // A terminate committed while the lists are being read: held back until they are in.
    const feedEvent = (type: string, payload: unknown, cursor: string) => `id: ${cursor}\ndata: ${JSON.stringify({ topic: 't', type, payload, cursor })}\n\n`;
    stream!.write(feedEvent('session_terminated', { agent_session_id: 'agentsess_02' }, 'c1'));
    stream!.write(feedEvent('edge_revoke', { delegation_edge_id: 'deledge_01' }, 'c2'));
    await waitFor(() => live.heldBack === 2);
    expect(live.state.sessions.size).toBe(0);
    releaseLists();
    await waitFor(() => live.state.edges.get('deledge_01')?.status === 'revoked');
    expect(live.state.sessions.get('agentsess_02')!.status).toBe('terminated');
    await waitFor(() => live.state.sessions.get('agentsess_02')!.blueprint === 'researcher');
    // Afterwards events apply as they come.
    stream!.write(feedEvent('session_spawned', { agent_session_id: 'agentsess_03', parent_id: 'agentsess_01', application_id: 'app_b', depth: 1, kind: 'instance' }, 'c3'));
    await waitFor(() => live.state.sessions.has('agentsess_03'));
    expect(live.state.children.get('agentsess_01')).toEqual(['agentsess_02', 'agentsess_03']);
  });
});

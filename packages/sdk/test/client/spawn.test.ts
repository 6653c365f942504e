import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { describe, expect, vi } from 'vitest';
import { bind, current, isCaracalError, SPAWN_CLEANUP_ERROR_CHANNEL, type CleanupErrorEvent } from '../../src/index.ts';
import { sendJson } from '../support/fake-caracal-server.ts';
import { clientTest } from '../support/client-fixture.ts';
import { CLIENT, testClient, TOKEN, ZONE } from '../support/test-client.ts';

describe('caracal.spawn()', () => {
  clientTest('opens a session with a snake_case body, binds its context, runs fn, then deletes the session', async ({ server, caracal }) => {
    const result = await caracal.spawn(
      { kind: 'ephemeral', capabilities: ['search'], ttlSeconds: 600, labels: { team: 'blue' }, metadata: { task: 42 } },
      async (context) => {
        expect(current()).toBe(context);
        expect(server.requestsTo('DELETE /zones/*/agents/*')).toHaveLength(0);
        return context;
      },
    );
    const [create] = server.requestsTo(`POST /zones/${ZONE}/agents`);
    expect(create?.json).toEqual({
      application_id: CLIENT,
      kind: 'ephemeral',
      capabilities: ['search'],
      ttl_seconds: 600,
      labels: { team: 'blue' },
      metadata: { task: 42 },
      grant: { mode: 'inherit' },
    });
    expect(create?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(create?.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(result).toMatchObject({ subjectToken: TOKEN, zoneId: ZONE, clientId: CLIENT, hop: 0 });
    expect(result.agentSessionId).toMatch(/^agentsess_/);
    expect(result.delegationEdgeId).toBeUndefined();
    expect(result.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(Object.isFrozen(result)).toBe(true);
    expect(server.requestsTo(`DELETE /zones/${ZONE}/agents/${result.agentSessionId}`)).toHaveLength(1);
    expect(current()).toBeUndefined();
  });

  clientTest('nests: the child names its parent and the edge it derives from, inherits the trace, and is one hop further', async ({ server, caracal }) => {
    const traceId = 'ab'.repeat(16);
    await bind({ subjectToken: TOKEN, zoneId: ZONE, clientId: CLIENT, agentSessionId: 'agentsess_parent', delegationEdgeId: 'deledge_parent', traceId, traceFlags: '00', hop: 3 }, () =>
      caracal.spawn({}, (child) => {
        // The inherited edge extends the parent's chain of 3 edges: hop 4, as the mandate's hop_count says.
        expect(child).toMatchObject({ traceId, traceFlags: '00', hop: 4, parentEdgeId: 'deledge_parent' });
        expect(child.delegationEdgeId).toMatch(/^deledge_inh_/);
        expect(child.agentSessionId).not.toBe('agentsess_parent');
      }),
    );
    expect(server.requestsTo('POST /zones/*/agents')[0]?.json).toMatchObject({ parent_id: 'agentsess_parent', parent_edge_id: 'deledge_parent' });
  });

  clientTest('counts hops by edges: a root spawn and a none grant have none, a child of a root spawn has one', async ({ caracal }) => {
    const hops: number[] = [];
    await caracal.spawn({}, async (root) => {
      hops.push(root.hop);
      await caracal.spawn({}, async (child) => {
        expect(child.delegationEdgeId).toMatch(/^deledge_inh_/);
        hops.push(child.hop);
        await caracal.spawn({}, (grandchild) => void hops.push(grandchild.hop));
        await caracal.spawn({ grant: 'none' }, (bare) => {
          expect(bare.delegationEdgeId).toBeUndefined();
          hops.push(bare.hop);
        });
      });
    });
    expect(hops).toEqual([0, 1, 2, 0]);
  });

  clientTest('sends narrow and none grants in the documented wire shape', async ({ server, caracal }) => {
    await caracal.spawn({ grant: { mode: 'narrow', scopes: ['tools:call'], resource: 'mcp://tools.local', constraints: { ttlSeconds: 60, maxHops: 2, budget: 5, policyApproved: true } } }, () => {});
    await caracal.spawn({ grant: 'none' }, () => {});
    const bodies = server.requestsTo('POST /zones/*/agents').map((request) => request.json?.grant);
    expect(bodies).toEqual([
      { mode: 'narrow', scopes: ['tools:call'], resource_id: 'mcp://tools.local', constraints: { ttl_seconds: 60, max_hops: 2, budget: 5, policy_approved: true } },
      { mode: 'none' },
    ]);
  });

  clientTest('refuses bad options with INVALID_ARGUMENT before any request', async ({ server, caracal }) => {
    const attempts = [
      caracal.spawn({ kind: 'daemon' as never }, () => {}),
      caracal.spawn({ ttlSeconds: -1 }, () => {}),
      caracal.spawn({ grant: { mode: 'narrow', scopes: [] } }, () => {}),
      caracal.spawn({ labels: { team: 1 as unknown as string } }, () => {}),
      caracal.spawn({}, undefined as never),
    ];
    for (const attempt of attempts) await expect(attempt).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(server.requests).toHaveLength(0);
  });

  clientTest('deletes the session when fn throws and rethrows fn\'s own error', async ({ server, caracal }) => {
    const failure = new Error('agent crashed');
    await expect(caracal.spawn({}, async () => { throw failure; })).rejects.toBe(failure);
    expect(server.requestsTo('DELETE /zones/*/agents/*')).toHaveLength(1);
  });

  clientTest('a cleanup failure never hides fn\'s error and is reported', async ({ server }) => {
    server.route('DELETE /zones/*/agents/*', (_request, response) => sendJson(response, 400, { error: 'invalid_request', error_description: 'nope' }));
    const onCleanupError = vi.fn();
    const client = testClient(server, { onCleanupError }).caracal;
    const failure = new Error('agent crashed');
    await expect(client.spawn({}, () => { throw failure; })).rejects.toBe(failure);
    expect(onCleanupError).toHaveBeenCalledWith(expect.objectContaining({ fnFailed: true, zoneId: ZONE, error: expect.objectContaining({ code: 'REQUEST_FAILED', status: 400 }) }));
    await client.close();
  });

  clientTest('when fn succeeds and cleanup fails, returns fn\'s result and publishes on the diagnostics channel', async ({ server }) => {
    server.route('DELETE /zones/*/agents/*', (_request, response) => sendJson(response, 404, { error: 'not_found', error_description: 'gone' }));
    const events: CleanupErrorEvent[] = [];
    const listener = (message: unknown): void => void events.push(message as CleanupErrorEvent);
    subscribe(SPAWN_CLEANUP_ERROR_CHANNEL, listener);
    try {
      const client = testClient(server, { onCleanupError: () => { throw new Error('a broken hook is ignored'); } }).caracal;
      await expect(client.spawn({}, () => 'done')).resolves.toBe('done');
      await client.close();
    } finally {
      unsubscribe(SPAWN_CLEANUP_ERROR_CHANNEL, listener);
    }
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ fnFailed: false, agentSessionId: expect.stringMatching(/^agentsess_/) });
    expect(isCaracalError(events[0]?.error) && events[0].error.code).toBe('NOT_FOUND');
  });

  clientTest('does not run fn when opening the session fails, and surfaces the typed error', async ({ server, caracal }) => {
    server.route('POST /zones/*/agents', (_request, response) =>
      sendJson(response, 409, { error: 'limit_exceeded', error_description: 'too many sessions' }, { 'x-request-id': 'req_123' }));
    const fn = vi.fn();
    await expect(caracal.spawn({}, fn)).rejects.toMatchObject({ code: 'CONFLICT', status: 409, serverCode: 'limit_exceeded', requestId: 'req_123', attempt: 1 });
    expect(fn).not.toHaveBeenCalled();
  });

  clientTest('refuses a response without agent_session_id as INVALID_RESPONSE', async ({ server, caracal }) => {
    server.route('POST /zones/*/agents', (_request, response) => sendJson(response, 201, { status: 'active' }));
    await expect(caracal.spawn({}, () => {})).rejects.toMatchObject({ code: 'INVALID_RESPONSE', status: 201 });
  });
});

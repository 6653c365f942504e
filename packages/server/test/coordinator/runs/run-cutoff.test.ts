import { describe, expect, it } from 'vitest';
import { expireSessionsAndEdges } from '../../../src/coordinator/sessions/expiry-repository.ts';
import { testBackends } from '../../helpers/backends.ts';
import { useHarness } from '../coordinator-harness.ts';
import { runClient } from './run-client.ts';

const ZONE = 'zone_run_cutoff';
let apps = 0;

/**
 * "Stopping a run or revoking its authority cuts the agent off at once": however a session ends
 * (terminated, cascade, TTL, revoked edge), its run under way stops — pending at once, claimed or
 * running through a stop order to its runner.
 */
describe.each(testBackends())('a session that ends stops its run, on $name', (backend) => {
  const { harness } = useHarness(backend, { zoneId: ZONE, seats: 200 });
  const client = runClient(harness);
  const freshApp = () => harness.mint({ zoneId: ZONE, clientId: `app_cut_${(apps += 1)}`, scopes: ['agent:lifecycle', 'tools:call'] });
  const spawn = async (token: string, body: Record<string, unknown> = {}) => {
    const response = await client.call('POST', `/zones/${ZONE}/agents`, token, body);
    expect(response.statusCode, response.body).toBe(201);
    return response.json().agent_session_id as string;
  };
  const terminate = async (token: string, sessionId: string) =>
    expect((await client.call('DELETE', `/zones/${ZONE}/agents/${sessionId}`, token)).statusCode).toBeLessThan(300);
  const runFacts = async (runId: string) =>
    (await harness.database.query<{ event_type: string }>('SELECT event_type FROM session_events WHERE run_id = $1 ORDER BY id', [runId])).rows.map(
      (row) => row.event_type,
    );

  it('terminating the session stops a pending run at once, on its timeline with its run_id', async () => {
    const token = await freshApp();
    const { run_id: runId, session_id: sessionId } = await client.createRun(token);
    await terminate(token, sessionId);
    expect(await client.run(token, runId)).toMatchObject({ status: 'stopped' });
    expect(await runFacts(runId)).toEqual(['run_created', 'run_stopped']);
    const runnerId = await client.register(token, { hostname: `cut-${apps}` });
    expect((await client.poll(token, runnerId)).statusCode).toBe(204);
  });

  it('terminating the session sends a stop order to the runner of its running run, waking its poll', async () => {
    const token = await freshApp();
    const { run_id: runId, session_id: sessionId } = await client.createRun(token);
    const runnerId = await client.register(token, { hostname: `cut-${apps}` });
    expect((await client.poll(token, runnerId)).json().run.run_id).toBe(runId);
    expect((await client.report(token, runId, 'started', { runner_id: runnerId })).statusCode).toBe(200);
    const waiting = client.poll(token, runnerId, 20);
    await terminate(token, sessionId);
    const order = await waiting;
    expect(order.statusCode, order.body).toBe(200);
    expect(order.json()).toEqual({ stop_runs: [runId], stop_sessions: [sessionId] });
    expect(await client.run(token, runId)).toMatchObject({ status: 'stopping' });
    expect((await client.report(token, runId, 'stopped', { runner_id: runnerId })).json().run.status).toBe('stopped');
    expect(await runFacts(runId)).toEqual(['run_created', 'run_claimed', 'run_started', 'run_stopping', 'run_stopped']);
  });

  it('a cascade from the parent stops the runs of its subtree', async () => {
    const token = await freshApp();
    const parent = await spawn(token);
    const { run_id: runId } = await client.createRun(token, { parent_session_id: parent });
    const runnerId = await client.register(token, { hostname: `cut-${apps}` });
    expect((await client.poll(token, runnerId)).json().run.run_id).toBe(runId);
    await terminate(token, parent);
    expect(await client.run(token, runId)).toMatchObject({ status: 'stopping' });
    expect((await client.poll(token, runnerId)).json().stop_runs).toEqual([runId]);
  });

  it('a session that expires (TTL) stops its run', async () => {
    const token = await freshApp();
    const parent = await spawn(token, { ttl_seconds: 60 });
    const { run_id: runId } = await client.createRun(token, { parent_session_id: parent });
    harness.clock.advance(61_000);
    expect((await expireSessionsAndEdges(harness.database, new Date(harness.clock.now()))).terminatedSessions).toBeGreaterThanOrEqual(2);
    expect(await client.run(token, runId)).toMatchObject({ status: 'stopped' });
  });

  it('revoking the edge that gave a run\'s session its authority stops the run', async () => {
    const token = await freshApp();
    const source = await spawn(token);
    const { run_id: runId, session_id: sessionId } = await client.createRun(token);
    const edge = await client.call('POST', `/zones/${ZONE}/delegations`, token, {
      source_session_id: source,
      target_session_id: sessionId,
      scopes: ['tools:call'],
      ttl_seconds: 600,
    });
    expect(edge.statusCode, edge.body).toBe(201);
    const revoked = await client.call('POST', `/zones/${ZONE}/delegations/${edge.json().delegation_edge_id}/revoke`, token);
    expect(revoked.statusCode, revoked.body).toBeLessThan(300);
    expect(await client.run(token, runId)).toMatchObject({ status: 'stopped' });
  });

  it('DELETE /sessions/{id} is refused while a runner holds the session\'s run (claimed or stopping), and removes it after', async () => {
    const token = await freshApp();
    const { run_id: runId, session_id: sessionId } = await client.createRun(token);
    const runnerId = await client.register(token, { hostname: `cut-${apps}` });
    expect((await client.poll(token, runnerId)).json().run.run_id).toBe(runId);
    for (const held of ['claimed', 'stopping']) {
      if (held === 'stopping') expect((await client.call('POST', `/runs/${runId}/stop`, token)).statusCode).toBe(200);
      const refused = await client.call('DELETE', `/sessions/${sessionId}`, token);
      expect(refused.statusCode, refused.body).toBe(409);
      expect(refused.json().error).toBe('session_active');
      expect((await client.run(token, runId)).status).toBe(held);
    }
    expect((await client.report(token, runId, 'stopped', { runner_id: runnerId })).statusCode).toBe(200);
    const deleted = await client.call('DELETE', `/sessions/${sessionId}`, token);
    expect(deleted.statusCode, deleted.body).toBe(200);
    expect((await client.call('GET', `/runs/${runId}`, token)).statusCode).toBe(404);
  });

  it('DELETE /sessions/{id} takes the pending runs of the whole subtree with it', async () => {
    const token = await freshApp();
    const parent = await client.createRun(token);
    const child = await client.createRun(token, { parent_session_id: parent.session_id });
    const deleted = await client.call('DELETE', `/sessions/${parent.session_id}`, token);
    expect(deleted.statusCode, deleted.body).toBe(200);
    expect(deleted.json().deleted_sessions).toEqual(expect.arrayContaining([parent.session_id, child.session_id]));
    for (const runId of [parent.run_id, child.run_id]) expect((await client.call('GET', `/runs/${runId}`, token)).statusCode).toBe(404);
    const runnerId = await client.register(token, { hostname: `cut-${apps}` });
    expect((await client.poll(token, runnerId)).statusCode).toBe(204);
  });
});

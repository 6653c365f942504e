import { describe, expect, it } from 'vitest';
import { testBackends } from '../../helpers/backends.ts';
import { useHarness } from '../coordinator-harness.ts';
import { runClient } from './run-client.ts';

const ZONE = 'zone_run_outbox_order';
let apps = 0;

/** The outbox fields these tests read: which session (or edge, or invocation) a row is about. */
interface OutboxPayload {
  event_type?: string;
  session_id?: string;
  agent_session_id?: string;
  delegation_edge_id?: string;
  session?: { session_id: string };
}

/**
 * The whole outbox sequence a run's hot statements write (a spawn with its run, a runner's
 * `completed` that ends a subtree, a DELETE), every topic together, in id order: the publishers
 * deliver in that order, so a statement that writes its rows differently must keep it. Within a
 * kind, rows go in id order (sessions made later have greater ids).
 */
describe.each(testBackends())('the outbox order of a run\'s statements, on $name', (backend) => {
  const { harness } = useHarness(backend, { zoneId: ZONE, seats: 200 });
  const client = runClient(harness);
  const freshApp = () => harness.mint({ zoneId: ZONE, clientId: `app_order_${(apps += 1)}`, scopes: ['agent:lifecycle', 'tools:call'] });
  const lastOutboxId = async () =>
    (await harness.database.query<{ id: string }>('SELECT coalesce(max(id), 0)::text AS id FROM caracal_outbox')).rows[0]!.id;

  /** The rows written after `after`, each as `event_type [timeline event] about`, `about` named by `name`. */
  async function outboxSince(after: string, name: (id: string | undefined) => string): Promise<string[]> {
    const { rows } = await harness.database.query<{ event_type: string; payload: OutboxPayload }>(
      'SELECT event_type, payload FROM caracal_outbox WHERE id > $1::bigint ORDER BY id',
      [after],
    );
    return rows.map(({ event_type: type, payload }) => {
      const about = payload.session?.session_id ?? payload.session_id ?? payload.agent_session_id;
      const what = type === 'session_event' ? `session_event ${payload.event_type}` : type;
      return `${what} ${about === undefined ? (payload.delegation_edge_id === undefined ? '?' : 'edge') : name(about)}`;
    });
  }

  it('a spawn with its run: the seed change, the timeline facts, the lifecycle events, then the run\'s fact', async () => {
    const token = await freshApp();
    let before = await lastOutboxId();
    const root = await client.createRun(token);
    const rootName = (id: string | undefined) => (id === root.session_id ? 'root' : String(id));
    expect(await outboxSince(before, rootName)).toEqual([
      'session_created root',
      'session_event session_spawned root',
      'session_spawned root',
      'session_event run_created root',
    ]);
    before = await lastOutboxId();
    const child = await client.createRun(token, { parent_session_id: root.session_id });
    const name = (id: string | undefined) => (id === child.session_id ? 'child' : rootName(id));
    expect(await outboxSince(before, name)).toEqual([
      'session_created child',
      'session_event session_spawned child',
      'session_event edge_created root',
      'session_event edge_created child',
      'session_spawned child',
      'edge_create edge',
      'session_event run_created child',
    ]);
  });

  it('a completed that ends a subtree: the seed changes, the timeline facts, then the lifecycle and revocation events', async () => {
    const token = await freshApp();
    const root = await client.createRun(token);
    const child = await client.createRun(token, { parent_session_id: root.session_id });
    const runnerId = await client.register(token, { hostname: `order-${apps}` });
    expect((await client.poll(token, runnerId)).json().run.run_id).toBe(root.run_id);
    expect((await client.report(token, root.run_id, 'started', { runner_id: runnerId })).statusCode).toBe(200);
    const before = await lastOutboxId();
    const completed = await client.report(token, root.run_id, 'completed', { runner_id: runnerId });
    expect(completed.statusCode, completed.body).toBe(200);
    const name = (id: string | undefined) => (id === root.session_id ? 'root' : id === child.session_id ? 'child' : String(id));
    expect(await outboxSince(before, name)).toEqual([
      'session_updated root',
      'session_updated child',
      'session_event run_completed root',
      'session_event session_terminated root',
      'session_event session_terminated child',
      'session_event edge_revoked root',
      'session_event edge_revoked child',
      'session_event run_stopped child',
      'session_terminated root',
      'session_terminated child',
      'session_revoked root',
      'session_revoked child',
      'edge_revoke edge',
    ]);
  });

  it('a completed whose session had already ended: the run\'s fact, then the seed change', async () => {
    const token = await freshApp();
    const { run_id: runId, session_id: sessionId } = await client.createRun(token);
    const runnerId = await client.register(token, { hostname: `order-ended-${apps}` });
    expect((await client.poll(token, runnerId)).json().run.run_id).toBe(runId);
    expect((await client.report(token, runId, 'started', { runner_id: runnerId })).statusCode).toBe(200);
    await harness.database.query(`UPDATE agent_sessions SET status = 'terminated' WHERE id = $1`, [sessionId]);
    const before = await lastOutboxId();
    expect((await client.report(token, runId, 'completed', { runner_id: runnerId })).statusCode).toBe(200);
    const name = (id: string | undefined) => (id === sessionId ? 'root' : String(id));
    expect(await outboxSince(before, name)).toEqual(['session_event run_completed root', 'session_updated root']);
  });

  it('a DELETE of a session with a child: the same order, its pending runs stopped', async () => {
    const token = await freshApp();
    const root = await client.createRun(token);
    const child = await client.createRun(token, { parent_session_id: root.session_id });
    const before = await lastOutboxId();
    const deleted = await client.call('DELETE', `/zones/${ZONE}/agents/${root.session_id}`, token);
    expect(deleted.statusCode, deleted.body).toBeLessThan(300);
    const name = (id: string | undefined) => (id === root.session_id ? 'root' : id === child.session_id ? 'child' : String(id));
    expect(await outboxSince(before, name)).toEqual([
      'session_updated root',
      'session_updated child',
      'session_event session_terminated root',
      'session_event session_terminated child',
      'session_event edge_revoked root',
      'session_event edge_revoked child',
      'session_event run_stopped root',
      'session_event run_stopped child',
      'session_terminated root',
      'session_terminated child',
      'session_revoked root',
      'session_revoked child',
      'edge_revoke edge',
    ]);
  });
});

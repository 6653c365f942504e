import { describe, expect, it } from 'vitest';
import { testBackends } from '../../helpers/backends.ts';
import { useHarness } from '../coordinator-harness.ts';
import { runClient } from './run-client.ts';

const ZONE = 'zone_run_spawn';
let apps = 0;

/**
 * A `start_session` run is written in its session's spawn statement: the session and its run
 * exist together or not at all, and the run's fact comes after the spawn's on the timeline and
 * on the feed, as when the run was a statement of its own.
 */
describe.each(testBackends())('a new session\'s run is written with its spawn, on $name', (backend) => {
  const { harness } = useHarness(backend, { zoneId: ZONE, limits: { maxActivePerZoneApplication: 3, maxActivePerApplication: 3, maxChildren: 1 } });
  const client = runClient(harness);
  const freshApp = () => harness.mint({ zoneId: ZONE, clientId: `app_spawn_run_${(apps += 1)}` });
  const written = async () =>
    (
      await harness.database.query<Record<string, number>>(
        `SELECT (SELECT count(*)::int FROM agent_sessions) AS sessions, (SELECT count(*)::int FROM runs) AS runs,
           (SELECT count(*)::int FROM session_events) AS facts, (SELECT count(*)::int FROM caracal_outbox) AS outbox,
           (SELECT count(*)::int FROM agent_session_seats WHERE holder_session_id IS NOT NULL) AS seats`,
      )
    ).rows[0]!;
  const refused = async (token: string, body: Record<string, unknown>, error: string) => {
    const before = await written();
    const response = await client.call('POST', '/runs', token, { type: 'start_session', parameters: { prompt: 'x' }, ...body });
    expect(response.statusCode, response.body).toBe(409);
    expect(response.json().error).toBe(error);
    expect(await written()).toEqual(before);
  };

  it('refuses a run over the live-session limit, writing nothing', async () => {
    const token = await freshApp();
    await client.createRun(token);
    await client.createRun(token);
    await client.createRun(token);
    await refused(token, {}, 'limit_exceeded');
  });

  it('refuses a child run over its parent\'s children limit or under an ended parent, writing nothing', async () => {
    const token = await freshApp();
    const parent = await client.createRun(token);
    await client.createRun(token, { parent_session_id: parent.session_id });
    await refused(token, { parent_session_id: parent.session_id }, 'limit_exceeded');
    expect((await client.call('DELETE', `/zones/${ZONE}/agents/${parent.session_id}`, token)).statusCode).toBeLessThan(300);
    await refused(token, { parent_session_id: parent.session_id }, 'session_not_active');
  });

  it('writes no session when its run cannot be written', async () => {
    const token = await freshApp();
    // A failing run insert, standing in for any failure of the run's part of the statement.
    await harness.database.query(`CREATE FUNCTION refuse_test_run() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'test: run refused'; END $$`);
    await harness.database.query(`CREATE TRIGGER refuse_test_run BEFORE INSERT ON runs FOR EACH ROW
      WHEN (NEW.project_dir = '/refused') EXECUTE FUNCTION refuse_test_run()`);
    try {
      const before = await written();
      const response = await client.call('POST', '/runs', token, { type: 'start_session', parameters: { prompt: 'x' }, project_dir: '/refused' });
      expect(response.statusCode).toBe(500);
      expect(await written()).toEqual(before);
    } finally {
      await harness.database.query('DROP TRIGGER refuse_test_run ON runs');
      await harness.database.query('DROP FUNCTION refuse_test_run()');
    }
    await client.createRun(token, { project_dir: '/refused' });
  });

  it('records the run after its session\'s spawn, on the timeline and on the feed', async () => {
    const token = await freshApp();
    const { run_id: runId, session_id: sessionId } = await client.createRun(token);
    expect((await client.timeline(sessionId)).map((fact) => [fact.event_type, fact.run_id])).toEqual([
      ['session_spawned', null],
      ['run_created', runId],
    ]);
    const { rows } = await harness.database.query<{ event_type: string; fact: string | null }>(
      `SELECT event_type, payload->>'event_type' AS fact FROM caracal_outbox
       WHERE $1 IN (payload->>'session_id', payload->>'agent_session_id', payload->'session'->>'session_id') ORDER BY id`,
      [sessionId],
    );
    expect(rows.at(-1)).toEqual({ event_type: 'session_event', fact: 'run_created' });
    expect(rows.map((row) => row.fact ?? row.event_type).sort()).toEqual(['run_created', 'session_created', 'session_spawned', 'session_spawned']);
  });
});

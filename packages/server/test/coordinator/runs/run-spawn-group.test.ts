import { TIMELINE_TOPIC } from '@caracal/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { spawnGroupOf } from '../../../src/coordinator/sessions/spawn-group.ts';
import type { SpawnRecord } from '../../../src/coordinator/sessions/spawn-repository.ts';
import { Topics } from '../../../src/events/topics.ts';
import { testBackends } from '../../helpers/backends.ts';
import { useHarness, type Harness } from '../coordinator-harness.ts';
import { groupReportFixtures } from './group-report-fixtures.ts';
import { runClient } from './run-client.ts';

const ZONE = 'zone_run_spawn_group';
const SEATS = 4;

/** The group's statement among the others, and the lone spawn's. */
const isGroupStatement = (sql: string) => sql.includes('jsonb_to_recordset($1::jsonb) AS item');
const isLoneSpawnStatement = (sql: string) => sql.trimStart().startsWith('WITH zone_seat AS');

/**
 * Holds the run spawns that reach the group until `count` have, then hands them to it in one
 * turn (in `order` when given): whatever the requests' own timing, they meet in one group
 * (GroupCommit takes the spawns submitted in one turn of the event loop together).
 */
function gatherSpawns(harness: Harness, count: number, order?: (record: SpawnRecord) => string): Promise<void> {
  const group = spawnGroupOf(harness.database);
  const spawn = group.spawn.bind(group);
  const held: Array<{ record: SpawnRecord; settle: (answer: ReturnType<typeof spawn>) => void }> = [];
  return new Promise((gathered) => {
    vi.spyOn(group, 'spawn').mockImplementation(
      (record) =>
        new Promise((resolve) => {
          held.push({ record, settle: resolve });
          if (held.length < count) return;
          vi.mocked(group.spawn).mockRestore();
          if (order !== undefined) held.sort((a, b) => order(a.record).localeCompare(order(b.record)));
          for (const { record: heldRecord, settle } of held) settle(spawn(heldRecord));
          gathered();
        }),
    );
  });
}

/**
 * `POST /runs` spawns of root sessions in flight at once share one statement (SpawnGroup): each
 * writes exactly what a lone spawn writes, and a group the seats cannot hold goes alone, where
 * every spawn gets today's answer.
 */
describe.each(testBackends())('run spawns in flight at once, on $name', (backend) => {
  const { harness } = useHarness(backend, { zoneId: ZONE, seats: SEATS });
  const client = runClient(harness);
  const fixtures = groupReportFixtures(harness, 'app_spawn_group');
  afterEach(() => vi.restoreAllMocks());
  /** `caracal_group_fallbacks_total{group="spawn"}` as GET /metrics shows it. */
  const spawnFallbacks = async (): Promise<number> => {
    const text = (await harness.app.inject('/metrics')).body;
    return Number(/^caracal_group_fallbacks_total\{group="spawn"\} (\d+)$/m.exec(text)?.[1] ?? 0);
  };
  const create = (token: string, body: Record<string, unknown> = {}) =>
    client.call('POST', '/runs', token, { type: 'start_session', parameters: { prompt: 'hello' }, ...body });

  it('writes runs created at once in one statement, each with its seats, session, run, facts and feed entries in a lone spawn\'s order', async () => {
    const app = await fixtures.freshApp(ZONE);
    await client.createRun(app.token); // provisions the application's seats
    const before = await fixtures.lastIds();
    const statements = vi.spyOn(harness.database, 'query');
    // Handed to the group in the requests' order, whatever order they reach it in.
    const gathered = gatherSpawns(harness, 3, (record) => record.run!.projectDir ?? '');
    const responses = [
      create(app.token, { project_dir: '/work/a' }),
      create(app.token, { project_dir: '/work/b', parameters: { prompt: 'two' } }),
      create(app.token, { project_dir: '/work/c' }),
    ];
    await gathered;
    const fallbacksBefore = await spawnFallbacks();
    const created = (await Promise.all(responses)).map((response) => {
      expect(response.statusCode, response.body).toBe(201);
      return response.json() as { run_id: string; session_id: string };
    });
    const sqls = statements.mock.calls.map(([sql]) => sql);
    expect(sqls.filter(isGroupStatement)).toHaveLength(1);
    expect(sqls.filter(isLoneSpawnStatement)).toHaveLength(0);
    statements.mockRestore();
    expect(await spawnFallbacks()).toBe(fallbacksBefore);

    const views = await Promise.all(created.map((run) => client.run(app.token, run.run_id)));
    expect(views.map((run) => [run['status'], run['project_dir'], run['parameters']])).toEqual([
      ['pending', '/work/a', { prompt: 'hello' }],
      ['pending', '/work/b', { prompt: 'two' }],
      ['pending', '/work/c', { prompt: 'hello' }],
    ]);
    const { rows: sessions } = await harness.database.query<{ id: string; status: string; run_status: string; project_dir: string | null; zone_seat: number; application_seat: number }>(
      'SELECT id, status, run_status, project_dir, zone_seat, application_seat FROM agent_sessions WHERE id = ANY ($1::text[])',
      [created.map((run) => run.session_id)],
    );
    expect(sessions.map((session) => [session.status, session.run_status]).sort()).toEqual(created.map(() => ['active', 'pending']));
    expect(new Set(sessions.map((session) => session.zone_seat)).size).toBe(3);
    expect(new Set(sessions.map((session) => session.application_seat)).size).toBe(3);
    const { rows: held } = await harness.database.query<{ holder_session_id: string }>(
      'SELECT holder_session_id FROM agent_session_seats WHERE holder_session_id = ANY ($1::text[])',
      [created.map((run) => run.session_id)],
    );
    expect(held).toHaveLength(6);

    // The facts in the spawns' order, each session's spawn before its run.
    const facts = await fixtures.factsSince(before);
    expect(facts.map((fact) => [fact.event_type, fact.session_id, fact.run_id])).toEqual(
      created.flatMap((run) => [
        ['session_spawned', run.session_id, null],
        ['run_created', run.session_id, run.run_id],
      ]),
    );
    // The feeds part by part, as a lone spawn writes its own: new sessions, spawn facts, lifecycle events, run facts.
    const { rows: outbox } = await harness.database.query<{ topic: string; event_type: string; payload: Record<string, unknown> }>(
      'SELECT topic, event_type, payload FROM caracal_outbox WHERE id > $1 ORDER BY id',
      [before.outbox],
    );
    const named = outbox.map(({ topic, event_type: eventType, payload }) => {
      if (topic === Topics.agentsLifecycle) return [eventType, payload['agent_session_id']];
      if (eventType === 'session_event') return [payload['event_type'], payload['session_id']];
      return [eventType, (payload['session'] as { session_id: string }).session_id];
    });
    const sessionIds = created.map((run) => run.session_id);
    expect(named).toEqual([
      ...[...sessionIds].sort().map((id) => ['session_created', id]),
      ...sessionIds.map((id) => ['session_spawned', id]),
      ...sessionIds.map((id) => ['session_spawned', id]),
      ...sessionIds.map((id) => ['run_created', id]),
    ]);
    expect(outbox.filter((row) => row.topic === TIMELINE_TOPIC && row.event_type === 'session_event').map((row) => Number(row.payload['id']))).toEqual(
      [...facts.filter((fact) => fact.run_id === null), ...facts.filter((fact) => fact.run_id !== null)].map((fact) => Number(fact.id)),
    );
    const lifecycle = outbox.find((row) => row.topic === Topics.agentsLifecycle)!.payload;
    expect(lifecycle).toMatchObject({ agent_session_id: sessionIds[0], parent_id: null, root_id: sessionIds[0], depth: 0 });
  });

  it('answers a group the free seats cannot hold spawn by spawn: those that fit are created, the rest refused at the limit', async () => {
    const app = await fixtures.freshApp(ZONE);
    await client.createRun(app.token);
    await client.createRun(app.token);
    const before = await fixtures.lastIds();
    const fallbacksBefore = await spawnFallbacks();
    const gathered = gatherSpawns(harness, 3);
    const responses = [create(app.token), create(app.token), create(app.token)];
    await gathered;
    const answers = await Promise.all(responses);
    expect(answers.map((response) => response.statusCode).sort()).toEqual([201, 201, 409]);
    // The refused group's spawns were tried one by one; the one the seats could not hold fell back
    // to the lone statement (which names the refusal), and the metric counts it. (A retry that
    // met a seat still held by another retry in flight falls back too: 1 to 3, by timing.)
    const fellBack = (await spawnFallbacks()) - fallbacksBefore;
    expect(fellBack).toBeGreaterThanOrEqual(1);
    expect(fellBack).toBeLessThanOrEqual(3);
    const refused = answers.find((response) => response.statusCode === 409)!;
    expect(refused.json().error).toBe('limit_exceeded');
    const { rows } = await harness.database.query<{ live: number }>(
      "SELECT count(*)::int AS live FROM agent_sessions WHERE application_id = $1 AND status = 'active'",
      [app.clientId],
    );
    expect(rows[0]!.live).toBe(SEATS);
    // Only the two created runs wrote facts: nothing of the refused one.
    expect((await fixtures.factsSince(before)).map((fact) => fact.event_type)).toEqual(['session_spawned', 'run_created', 'session_spawned', 'run_created']);
  });

  it('settles the spawns of each application on their own: one short of seats never writes another\'s twice', async () => {
    const roomy = await fixtures.freshApp(ZONE);
    const full = await fixtures.freshApp(ZONE);
    await client.createRun(roomy.token);
    for (let index = 0; index < SEATS - 1; index += 1) await client.createRun(full.token);
    // The roomy application's statement goes first and commits; then the full one's fails.
    const gathered = gatherSpawns(harness, 4, (record) => (record.applicationId === roomy.clientId ? 'a' : 'b'));
    const responses = [create(full.token), create(roomy.token), create(full.token), create(roomy.token)];
    await gathered;
    const answers = await Promise.all(responses);
    expect(answers.map((response) => response.statusCode)).toEqual([expect.any(Number), 201, expect.any(Number), 201]);
    expect([answers[0]!.statusCode, answers[2]!.statusCode].sort()).toEqual([201, 409]);
    const { rows } = await harness.database.query<{ application_id: string; live: number }>(
      "SELECT application_id, count(*)::int AS live FROM agent_sessions WHERE application_id = ANY ($1::text[]) AND status = 'active' GROUP BY application_id ORDER BY application_id",
      [[roomy.clientId, full.clientId]],
    );
    expect(Object.fromEntries(rows.map((row) => [row.application_id, row.live]))).toEqual({ [roomy.clientId]: 3, [full.clientId]: SEATS });
  });

  it('creates the first runs of an application whose seats are not provisioned yet', async () => {
    const app = await fixtures.freshApp(ZONE);
    const gathered = gatherSpawns(harness, 2);
    const responses = [create(app.token), create(app.token)];
    await gathered;
    expect((await Promise.all(responses)).map((response) => response.statusCode)).toEqual([201, 201]);
  });
});

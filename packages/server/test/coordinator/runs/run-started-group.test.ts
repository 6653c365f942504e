import { afterEach, describe, expect, it, vi } from 'vitest';
import { startedGroupOf } from '../../../src/coordinator/runners/started-group.ts';
import { testBackends } from '../../helpers/backends.ts';
import { useHarness } from '../coordinator-harness.ts';
import { groupReportFixtures, type LastIds } from './group-report-fixtures.ts';
import { runClient } from './run-client.ts';

const ZONE = 'zone_run_started_group';
const OTHER_ZONE = 'zone_run_started_group_other';

/**
 * Runners' `started` reports in flight at once share one statement (StartedGroup): each valid
 * report moves its run with one fact; every other report gets exactly today's refusal and writes
 * nothing.
 */
describe.each(testBackends())('concurrent started reports, on $name', (backend) => {
  const { harness } = useHarness(backend, { zoneId: ZONE, seats: 200 });
  const client = runClient(harness);
  afterEach(() => vi.restoreAllMocks());
  const fixtures = groupReportFixtures(harness, 'app_started');
  const freshApp = (zoneId = ZONE) => fixtures.freshApp(zoneId);
  const { lastIds } = fixtures;
  const runsOf = async (ids: string[]) =>
    (await harness.database.query('SELECT id, status, runner_id, updated_at, started_at FROM runs WHERE id = ANY ($1::text[]) ORDER BY id', [ids])).rows;
  const written = async (before: LastIds) => ({
    facts: await fixtures.factsSince(before),
    outbox: (
      await harness.database.query<{ event_type: string; payload: { id?: number | string; session?: { session_id: string; status: string } } }>(
        'SELECT event_type, payload FROM caracal_outbox WHERE id > $1 ORDER BY id',
        [before.outbox],
      )
    ).rows,
  });

  /** `count` runs claimed by one runner of a fresh application, and one claimed by a second runner. */
  async function claimedRuns(count: number) {
    const app = await freshApp();
    const runnerId = await client.register(app.token, { hostname: `started-${fixtures.apps}` });
    const runs: Array<{ run_id: string; session_id: string }> = [];
    for (let index = 0; index < count; index += 1) {
      const run = await client.createRun(app.token);
      expect((await client.poll(app.token, runnerId)).json().run.run_id).toBe(run.run_id);
      runs.push(run);
    }
    const othersRun = await client.createRun(app.token);
    const otherRunner = await client.register(app.token, { hostname: `started-other-${fixtures.apps}` });
    expect((await client.poll(app.token, otherRunner)).json().run.run_id).toBe(othersRun.run_id);
    return { app, runnerId, runs, othersRun };
  }

  it('answers each report as alone: 200 with one fact for the valid ones, the refusals of today writing nothing', async () => {
    const { app, runnerId, runs, othersRun } = await claimedRuns(4);
    const [a, b, c, d] = runs as [(typeof runs)[number], (typeof runs)[number], (typeof runs)[number], (typeof runs)[number]];
    const stranger = await freshApp(OTHER_ZONE);
    const strangerRunner = await client.register(stranger.token, { hostname: `stranger-${fixtures.apps}` });
    const before = await lastIds();
    const untouched = await runsOf([d.run_id, othersRun.run_id]);
    const [startedA, startedB, startedC, notOwner, duplicate, otherZone] = await Promise.all([
      client.report(app.token, a.run_id, 'started', { runner_id: runnerId }),
      client.report(app.token, b.run_id, 'started', { runner_id: runnerId }),
      client.report(app.token, c.run_id, 'started', { runner_id: runnerId }),
      client.report(app.token, othersRun.run_id, 'started', { runner_id: runnerId }),
      client.report(app.token, a.run_id, 'started', { runner_id: runnerId }),
      client.report(stranger.token, d.run_id, 'started', { runner_id: strangerRunner }),
    ]);
    // The run named twice moves once: one of its reports finds it running already.
    const twice = [startedA, duplicate].map((response) => response.statusCode).sort();
    expect(twice).toEqual([200, 409]);
    expect([startedA, duplicate].find((response) => response.statusCode === 409)!.json().error).toBe('invalid_transition');
    for (const response of [startedB, startedC]) {
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json().run).toMatchObject({ status: 'running', runner_id: runnerId });
    }
    expect(notOwner.statusCode, notOwner.body).toBe(403);
    expect(notOwner.json().error).toBe('not_run_owner');
    expect(otherZone.statusCode, otherZone.body).toBe(404);
    expect(await runsOf([d.run_id, othersRun.run_id])).toEqual(untouched);
    const { facts, outbox } = await written(before);
    const moved = [a, b, c];
    expect(facts.map((fact) => fact.event_type)).toEqual(['run_started', 'run_started', 'run_started']);
    expect(facts.map((fact) => [fact.session_id, fact.run_id]).sort()).toEqual(moved.map((run) => [run.session_id, run.run_id]).sort());
    expect(outbox.filter((row) => row.event_type === 'session_event').map((row) => String(row.payload.id))).toEqual(facts.map((fact) => String(fact.id)));
    const changes = outbox.filter((row) => row.event_type === 'session_updated').map((row) => row.payload.session!);
    expect(changes.map((session) => session.session_id).sort()).toEqual(moved.map((run) => run.session_id).sort());
    expect(changes.every((session) => session.status === 'running')).toBe(true);
    expect(outbox).toHaveLength(6);
    for (const run of moved) {
      expect((await client.timeline(run.session_id)).map((event) => event.event_type)).toEqual(['session_spawned', 'run_created', 'run_claimed', 'run_started']);
      expect(await client.session(run.session_id)).toMatchObject({ run_status: 'running' });
    }
    expect(await client.session(d.session_id)).toMatchObject({ run_status: 'pending' });
  });

  it('never takes a completed report for a started one: completed with session_status idle on a claimed run is 409 and writes nothing', async () => {
    // `idle` is not a terminal run status, so such a report does not end its session; it must
    // still be a completed report (claimed → completed is outside the machine), not a start.
    const { app, runnerId, runs } = await claimedRuns(1);
    const run = runs[0]!;
    const before = await lastIds();
    const untouched = await runsOf([run.run_id]);
    const answer = await client.report(app.token, run.run_id, 'completed', { runner_id: runnerId, session_status: 'idle', result: { ok: true } });
    expect(answer.statusCode, answer.body).toBe(409);
    expect(answer.json().error).toBe('invalid_transition');
    expect(await runsOf([run.run_id])).toEqual(untouched);
    expect(await written(before)).toEqual({ facts: [], outbox: [] });
  });

  it('writes a group in one statement: facts in the reports\' order, each run at its report\'s time, undefined for a report whose run did not move', async () => {
    const { app, runnerId, runs, othersRun } = await claimedRuns(3);
    const [a, b, c] = runs as [(typeof runs)[number], (typeof runs)[number], (typeof runs)[number]];
    const caller = { zoneId: ZONE, admin: false, clientId: app.clientId };
    const base = Date.parse('2026-12-06T00:00:00.000Z');
    const report = (runId: string, offset: number) => ({ runId, runnerId, ...caller, now: base + offset, reason: 'runner_started' });
    const before = await lastIds();
    const statements = vi.spyOn(harness.database, 'query');
    const group = startedGroupOf(harness.database);
    const answers = await Promise.all([
      group.move(report(c.run_id, 1)),
      group.move(report(othersRun.run_id, 2)),
      group.move(report(a.run_id, 3)),
      group.move(report(c.run_id, 4)),
      group.move(report(b.run_id, 5)),
      group.move({ ...report(a.run_id, 6), clientId: 'app_someone_else' }),
    ]);
    // Background jobs share the database: count the group's statements only.
    expect(statements.mock.calls.filter(([sql]) => sql.includes('item_ordinal')).map(([sql]) => sql)).toHaveLength(1);
    statements.mockRestore();
    // A run named twice: its first report is the one tried, the other takes the locked path.
    expect(answers.map((answer) => answer?.id)).toEqual([c.run_id, undefined, a.run_id, undefined, b.run_id, undefined]);
    expect(answers[0]).not.toHaveProperty('item_ordinal');
    const startedAt = (offset: number) => new Date(base + offset).toISOString();
    expect((await runsOf([a.run_id, b.run_id, c.run_id])).map((row) => [row['id'], new Date(row['started_at'] as string).toISOString()])).toEqual(
      [
        [a.run_id, startedAt(3)],
        [b.run_id, startedAt(5)],
        [c.run_id, startedAt(1)],
      ].sort(),
    );
    const { facts } = await written(before);
    expect(facts.map((fact) => fact.run_id)).toEqual([c.run_id, a.run_id, b.run_id]);
    expect((await runsOf([othersRun.run_id]))[0]).toMatchObject({ status: 'claimed' });
  });
});

import { TIMELINE_TOPIC } from '@caracal/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { completedGroupOf, type CompletedReport } from '../../../src/coordinator/runners/completed-group.ts';
import { CONCURRENT_CHANGE } from '../../../src/coordinator/shared/concurrent-change.ts';
import { ServerError } from '../../../src/http/server-error.ts';
import { testBackends } from '../../helpers/backends.ts';
import { useHarness } from '../coordinator-harness.ts';
import { groupReportFixtures, type LastIds } from './group-report-fixtures.ts';
import { runClient } from './run-client.ts';

const ZONE = 'zone_run_completed_group';
const OTHER_ZONE = 'zone_run_completed_group_other';
/** The fields these tests read of a timeline feed entry: an event's id, a change's seed session. */
type FeedPayload = { id?: number | string; session?: { session_id: string; status: string; authority_status: string } };
type Run = { run_id: string; session_id: string };

/** The group's statement among the others (background jobs share the database). */
const isGroupStatement = (sql: string) => sql.includes('item_result');

/**
 * Runners' `completed` reports that end their sessions, in flight at once, share one statement
 * (CompletedGroup): each valid report completes its run with its own time and result and ends
 * its session with the facts and feed entries of today; every other report gets exactly today's
 * refusal and writes nothing.
 */
describe.each(testBackends())('concurrent completed reports, on $name', (backend) => {
  const { harness } = useHarness(backend, { zoneId: ZONE, seats: 200 });
  const client = runClient(harness);
  afterEach(() => vi.restoreAllMocks());
  const fixtures = groupReportFixtures(harness, 'app_completed');
  const freshApp = (zoneId = ZONE) => fixtures.freshApp(zoneId);
  const { lastIds } = fixtures;
  const runsOf = async (ids: string[]) =>
    (await harness.database.query('SELECT id, status, runner_id, updated_at, completed_at, result, session_status FROM runs WHERE id = ANY ($1::text[]) ORDER BY id', [ids]))
      .rows;
  const sessionsOf = async (ids: string[]) =>
    (await harness.database.query('SELECT id, status, run_status, terminated_at, termination_reason FROM agent_sessions WHERE id = ANY ($1::text[]) ORDER BY id', [ids]))
      .rows;
  const written = async (before: LastIds) => ({
    facts: await fixtures.factsSince(before),
    feed: (
      await harness.database.query<{ event_type: string; payload: FeedPayload }>(
        'SELECT event_type, payload FROM caracal_outbox WHERE id > $1 AND topic = $2 ORDER BY id',
        [before.outbox, TIMELINE_TOPIC],
      )
    ).rows,
  });

  /** `count` running runs of one runner of a fresh application, and one running on a second runner. */
  async function runningRuns(count: number) {
    const app = await freshApp();
    const runnerId = await client.register(app.token, { hostname: `completed-${fixtures.apps}` });
    const start = async (runner: string) => {
      const run = await client.createRun(app.token);
      expect((await client.poll(app.token, runner)).json().run.run_id).toBe(run.run_id);
      expect((await client.report(app.token, run.run_id, 'started', { runner_id: runner })).statusCode).toBe(200);
      return run;
    };
    const runs: Run[] = [];
    for (let index = 0; index < count; index += 1) runs.push(await start(runnerId));
    const otherRunner = await client.register(app.token, { hostname: `completed-other-${fixtures.apps}` });
    const othersRun = await start(otherRunner);
    return { app, runnerId, runs, othersRun };
  }

  const base = Date.parse('2026-12-06T00:00:00.000Z');
  const at = (offset: number) => new Date(base + offset).toISOString();
  const reportOf = (app: { clientId: string }, runnerId: string) => (runId: string, offset: number, result: unknown): CompletedReport => ({
    runId,
    runnerId,
    zoneId: ZONE,
    admin: false,
    clientId: app.clientId,
    now: base + offset,
    reason: 'runner_completed',
    result,
    sessionStatus: 'finished',
  });

  it('writes a group in one statement: each run at its time with its result, run facts in the reports\' order, then each termination\'s', async () => {
    const { app, runnerId, runs, othersRun } = await runningRuns(3);
    const [a, b, c] = runs as [Run, Run, Run];
    const report = reportOf(app, runnerId);
    // Results travel as a text array: quotes, backslashes, braces and commas must survive it.
    const resultC = { c: true, text: 'say "hi", \\ {x} é' };
    const before = await lastIds();
    const statements = vi.spyOn(harness.database, 'query');
    const group = completedGroupOf(harness.database);
    const answers = await Promise.all([
      group.move(report(c.run_id, 1, resultC)),
      group.move(report(othersRun.run_id, 2, null)),
      group.move(report(a.run_id, 3, { a: [1, 2] })),
      group.move(report(c.run_id, 4, { twice: true })),
      group.move(report(b.run_id, 5, null)),
      group.move({ ...report(a.run_id, 6, null), clientId: 'app_someone_else' }),
    ]);
    expect(statements.mock.calls.filter(([sql]) => isGroupStatement(sql))).toHaveLength(1);
    statements.mockRestore();
    // A run named twice: its first report is the one tried, the other takes the locked path.
    expect(answers.map((answer) => answer?.id)).toEqual([c.run_id, undefined, a.run_id, undefined, b.run_id, undefined]);
    expect(answers[0]).not.toHaveProperty('item_result');
    expect(answers[0]).toMatchObject({ status: 'completed', result: resultC, session_status: 'finished' });
    const completed = (await runsOf([a.run_id, b.run_id, c.run_id])).map((row) => [row['id'], row['status'], new Date(row['completed_at'] as string).toISOString(), row['result']]);
    expect(completed).toEqual(
      [
        [a.run_id, 'completed', at(3), { a: [1, 2] }],
        [b.run_id, 'completed', at(5), null],
        [c.run_id, 'completed', at(1), resultC],
      ].sort(),
    );
    // The sessions end together, once the group's last report is in.
    const sessions = await sessionsOf([a.session_id, b.session_id, c.session_id]);
    expect(sessions.map((session) => [session['status'], session['run_status'], new Date(session['terminated_at'] as string).toISOString(), session['termination_reason']])).toEqual(
      sessions.map(() => ['terminated', 'finished', at(5), 'runner_completed']),
    );
    expect(await runsOf([othersRun.run_id])).toMatchObject([{ status: 'running' }]);
    const { facts, feed } = await written(before);
    const ended = [c, a, b];
    expect(facts.map((fact) => [fact.event_type, fact.session_id, fact.run_id])).toEqual([
      ...ended.map((run) => ['run_completed', run.session_id, run.run_id]),
      ...ended.map((run) => ['session_terminated', run.session_id, null]).sort(),
    ]);
    expect(feed.filter((row) => row.event_type === 'session_event').map((row) => String(row.payload.id))).toEqual(facts.map((fact) => String(fact.id)));
    const changes = feed.filter((row) => row.event_type === 'session_updated').map((row) => row.payload.session!);
    expect(changes.map((session) => [session.session_id, session.status, session.authority_status])).toEqual(
      ended.map((run) => [run.session_id, 'finished', 'terminated']).sort(),
    );
    for (const run of ended) {
      expect((await client.timeline(run.session_id)).map((event) => event.event_type)).toEqual([
        'session_spawned',
        'run_created',
        'run_claimed',
        'run_started',
        'run_completed',
        'session_terminated',
      ]);
    }
  });

  it('completes a session\'s run and its child session\'s in one group: neither is cut off, both sessions finish', async () => {
    const app = await freshApp();
    const runnerId = await client.register(app.token, { hostname: `nested-${fixtures.apps}` });
    const start = async (body: Record<string, unknown>) => {
      const run = await client.createRun(app.token, body);
      expect((await client.poll(app.token, runnerId)).json().run.run_id).toBe(run.run_id);
      expect((await client.report(app.token, run.run_id, 'started', { runner_id: runnerId })).statusCode).toBe(200);
      return run;
    };
    const parent = await start({});
    const child = await start({ parent_session_id: parent.session_id });
    const report = reportOf(app, runnerId);
    const before = await lastIds();
    const group = completedGroupOf(harness.database);
    const answers = await Promise.all([group.move(report(parent.run_id, 1, { parent: true })), group.move(report(child.run_id, 2, { child: true }))]);
    expect(answers.map((answer) => [answer?.id, answer?.status])).toEqual([
      [parent.run_id, 'completed'],
      [child.run_id, 'completed'],
    ]);
    expect((await runsOf([parent.run_id, child.run_id])).map((row) => row['status'])).toEqual(['completed', 'completed']);
    for (const run of [parent, child]) expect(await client.session(run.session_id)).toMatchObject({ run_status: 'finished', status: 'terminated' });
    const name = (id: unknown) => (id === parent.session_id ? 'parent' : id === child.session_id ? 'child' : String(id));
    const { facts } = await written(before);
    expect(facts.map((fact) => `${name(fact.session_id)} ${fact.event_type}`)).toEqual([
      'parent run_completed',
      'child run_completed',
      'parent session_terminated',
      'child session_terminated',
      'parent edge_revoked',
      'child edge_revoked',
    ]);
  });

  it('answers each report as alone: 200 for the valid ones, the refusals of today writing nothing', async () => {
    const { app, runnerId, runs, othersRun } = await runningRuns(3);
    const [a, b, d] = runs as [Run, Run, Run];
    const stranger = await freshApp(OTHER_ZONE);
    const strangerRunner = await client.register(stranger.token, { hostname: `stranger-${fixtures.apps}` });
    const untouched = { runs: await runsOf([d.run_id, othersRun.run_id]), sessions: await sessionsOf([d.session_id, othersRun.session_id]) };
    const before = await lastIds();
    const [completedA, completedB, notOwner, duplicate, otherZone] = await Promise.all([
      client.report(app.token, a.run_id, 'completed', { runner_id: runnerId, result: { a: 1 } }),
      client.report(app.token, b.run_id, 'completed', { runner_id: runnerId, result: { b: 2 } }),
      client.report(app.token, othersRun.run_id, 'completed', { runner_id: runnerId }),
      client.report(app.token, a.run_id, 'completed', { runner_id: runnerId, result: { again: true } }),
      client.report(stranger.token, d.run_id, 'completed', { runner_id: strangerRunner }),
    ]);
    // The run named twice completes once: one of its reports finds it completed already.
    expect([completedA, duplicate].map((response) => response.statusCode).sort()).toEqual([200, 409]);
    expect([completedA, duplicate].find((response) => response.statusCode === 409)!.json().error).toBe('invalid_transition');
    const resultA = [completedA, duplicate].find((response) => response.statusCode === 200)!.json().run.result;
    expect(completedB.statusCode, completedB.body).toBe(200);
    expect(completedB.json().run).toMatchObject({ status: 'completed', result: { b: 2 }, session_status: 'finished' });
    expect(notOwner.statusCode, notOwner.body).toBe(403);
    expect(notOwner.json().error).toBe('not_run_owner');
    expect(otherZone.statusCode, otherZone.body).toBe(404);
    expect({ runs: await runsOf([d.run_id, othersRun.run_id]), sessions: await sessionsOf([d.session_id, othersRun.session_id]) }).toEqual(untouched);
    expect((await runsOf([a.run_id]))[0]).toMatchObject({ status: 'completed', result: resultA });
    const { facts } = await written(before);
    const ended = [a, b].map((run) => run.session_id).sort();
    expect(facts.filter((fact) => fact.event_type === 'run_completed').map((fact) => fact.session_id).sort()).toEqual(ended);
    expect(facts.filter((fact) => fact.event_type === 'session_terminated').map((fact) => fact.session_id).sort()).toEqual(ended);
    expect(facts).toHaveLength(4);
  });

  it('retries a group that meets a concurrent change, then each report alone, each with its own retries', async () => {
    const { app, runnerId, runs } = await runningRuns(3);
    const [a, b, c] = runs as [Run, Run, Run];
    const report = reportOf(app, runnerId);
    const query = harness.database.query.bind(harness.database);
    // Every statement naming b refuses, as a subtree change racing its termination would, until
    // b is tried alone; then b's first attempt alone refuses too.
    let refusedAlone = 0;
    const statements = vi.spyOn(harness.database, 'query').mockImplementation(((sql: string, parameters?: unknown[], options?: unknown) => {
      const runIds = isGroupStatement(sql) ? (parameters![0] as string[]) : [];
      if (runIds.includes(b.run_id) && (runIds.length > 1 || (refusedAlone += 1) === 1)) {
        return Promise.reject(new ServerError(409, CONCURRENT_CHANGE, 'the subtree changed while it was being ended; retry'));
      }
      return query(sql, parameters as never, options as never);
    }) as typeof harness.database.query);
    const group = completedGroupOf(harness.database);
    const answers = await Promise.all([group.move(report(a.run_id, 1, null)), group.move(report(b.run_id, 2, null)), group.move(report(c.run_id, 3, null))]);
    const tried = statements.mock.calls.filter(([sql]) => isGroupStatement(sql)).map(([, parameters]) => (parameters![0] as string[]).length);
    statements.mockRestore();
    expect(answers.map((answer) => answer?.id)).toEqual([a.run_id, b.run_id, c.run_id]);
    // The group's eight attempts, then each report alone (b twice).
    expect(tried).toEqual([...Array.from({ length: 8 }, () => 3), 1, 1, 1, 1]);
    expect((await runsOf([a.run_id, b.run_id, c.run_id])).map((row) => row['status'])).toEqual(['completed', 'completed', 'completed']);
    expect((await sessionsOf([a.session_id, b.session_id, c.session_id])).map((row) => row['status'])).toEqual(['terminated', 'terminated', 'terminated']);
  });

  it('ends the others of a group correctly while one session is deleted concurrently', async () => {
    for (let round = 0; round < 3; round += 1) {
      const { app, runnerId, runs } = await runningRuns(3);
      const [a, b, c] = runs as [Run, Run, Run];
      const child = await client.createRun(app.token, { parent_session_id: b.session_id });
      const [answers, deleted] = await Promise.all([
        Promise.all(runs.map((run) => client.report(app.token, run.run_id, 'completed', { runner_id: runnerId }))),
        client.call('DELETE', `/zones/${ZONE}/agents/${b.session_id}`, app.token),
      ]);
      expect(deleted.statusCode, deleted.body).toBeLessThan(300);
      for (const [run, answer] of [
        [a, answers[0]!],
        [c, answers[2]!],
      ] as const) {
        expect(answer.statusCode, answer.body).toBe(200);
        expect(await client.session(run.session_id)).toMatchObject({ run_status: 'finished', status: 'terminated' });
      }
      // Either b's run completed first (its session finished) or the deletion cut it off first.
      const completedB = answers[1]!;
      if (completedB.statusCode === 200) {
        expect(await client.session(b.session_id)).toMatchObject({ run_status: 'finished', status: 'terminated' });
      } else {
        expect(completedB.statusCode, completedB.body).toBe(409);
        expect(await client.run(app.token, b.run_id)).toMatchObject({ status: 'stopping' });
      }
      expect(await client.session(child.session_id)).toMatchObject({ status: 'terminated' });
      const terminated = await harness.database.query<{ session_id: string }>(
        `SELECT session_id FROM session_events WHERE event_type = 'session_terminated' AND session_id = ANY ($1::text[])`,
        [[a.session_id, b.session_id, c.session_id, child.session_id]],
      );
      expect(terminated.rows.map((row) => row.session_id).sort()).toEqual([a.session_id, b.session_id, c.session_id, child.session_id].sort());
    }
  });
});

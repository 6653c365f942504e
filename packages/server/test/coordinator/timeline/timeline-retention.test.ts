import { describe, expect, it } from 'vitest';
import { deleteExpiredTimelineEvents, deleteFinishedHistory } from '../../../src/coordinator/maintenance/index.ts';
import { testBackends } from '../../helpers/backends.ts';
import { useHarness } from '../coordinator-harness.ts';
import { allEventIds, seedCalls } from './seed-calls.ts';

const ZONE = 'zone_retention';
const DAY = 24 * 3_600_000;

describe.each(testBackends())('timeline retention on $name', (backend) => {
  const { harness, tokens } = useHarness(backend, { zoneId: ZONE, tokens: { one: { clientId: 'app_one' } } });
  const seed = seedCalls(harness);
  const ids = (answer: Record<string, unknown>) => (answer.events as Array<{ id: number }>).map((event) => event.id);

  it('removes exactly the events recorded before the cut-off, of every session, and nothing else', async () => {
    const a = await seed.create(tokens.one);
    const b = await seed.create(tokens.one);
    const oldA = ids(await seed.post(tokens.one, a.session_id, [{ event_type: 'm' }, { event_type: 'm' }]));
    const oldB = ids(await seed.post(tokens.one, b.session_id, [{ event_type: 'm' }]));
    harness.clock.advance(10 * DAY);
    const newA = ids(await seed.post(tokens.one, a.session_id, [{ event_type: 'm' }]));
    const newB = ids(await seed.post(tokens.one, b.session_id, [{ event_type: 'm' }, { event_type: 'm' }]));
    const before = await allEventIds(harness);
    // Everything recorded before the clock moved is old: the posts and the server's facts (the spawns).
    const lastOld = Math.max(...oldA, ...oldB);
    const cutoff = new Date(harness.clock.now() - 5 * DAY);
    expect(await deleteExpiredTimelineEvents(harness.database, cutoff)).toBe(before.filter((id) => id <= lastOld).length);
    const after = await allEventIds(harness);
    expect(after).toEqual(before.filter((id) => id > lastOld));
    expect(after).toEqual(expect.arrayContaining([...newA, ...newB]));
    const read = (await seed.call('GET', `/sessions/${a.session_id}/events?source=agent`, tokens.one)).json();
    expect(read.events.map((event: { id: number }) => event.id)).toEqual(newA);
    expect(await deleteExpiredTimelineEvents(harness.database, cutoff)).toBe(0);
  });

  it('deletes in chunks until every old event is gone', async () => {
    const { session_id: id } = await seed.create(tokens.one);
    const old = new Date(harness.clock.now() - 90 * DAY).toISOString();
    await harness.database.query(
      `INSERT INTO session_events (zone_id, session_id, application_id, event_type, source, recorded_at)
       SELECT $1, $2, 'app_one', 'bulk', 'agent', $3::timestamptz FROM generate_series(1, 12000)`,
      [ZONE, id, old],
    );
    await seed.post(tokens.one, id, { event_type: 'm' });
    const recent = async () =>
      (await harness.database.query<{ id: string }>("SELECT id FROM session_events WHERE session_id = $1 AND event_type <> 'bulk' ORDER BY id", [id])).rows;
    const kept = await recent();
    expect(await deleteExpiredTimelineEvents(harness.database, new Date(harness.clock.now() - 30 * DAY))).toBe(12_000);
    const left = (await harness.database.query<{ id: string }>('SELECT id FROM session_events WHERE session_id = $1 ORDER BY id', [id])).rows;
    expect(left).toEqual(kept);
  });

  it('keeps a terminated session while its timeline is readable, and lets it go with its last event', async () => {
    const { session_id: id } = await seed.create(tokens.one);
    await seed.post(tokens.one, id, [{ event_type: 'run_start' }, { event_type: 'result', result_text: 'r' }, { event_type: 'run_completed' }]);
    harness.clock.advance(8 * DAY);
    const historyCutoff = new Date(harness.clock.now() - 7 * DAY);
    await deleteFinishedHistory(harness.database, historyCutoff);
    expect((await seed.call('GET', `/sessions/${id}/result`, tokens.one)).json()).toEqual({ result_text: 'r', result_data: null });
    await deleteExpiredTimelineEvents(harness.database, new Date(harness.clock.now()));
    await deleteFinishedHistory(harness.database, historyCutoff);
    expect(await seed.status(tokens.one, id)).toBe('not_existent');
  });
});

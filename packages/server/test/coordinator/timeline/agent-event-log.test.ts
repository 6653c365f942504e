import { describe, expect, it } from 'vitest';
import { AgentEventLog, type AgentPost } from '../../../src/coordinator/timeline/agent-event-log.ts';
import type { Database } from '../../../src/db/database.ts';
import { testBackends } from '../../helpers/backends.ts';
import { allEventIds, useSeedHarness } from './seed-calls.ts';

const ZONE = 'zone_event_log';

/** The harness database, counting the statements that write events. */
function countingAppends(database: Database): { database: Database; appends: () => number } {
  let appends = 0;
  const counted: Database = {
    ...database,
    query: (sql, params, options) => {
      if (sql.includes('INSERT INTO session_events')) appends += 1;
      return database.query(sql, params, options);
    },
  };
  return { database: counted, appends: () => appends };
}

const post = (sessionId: string, applicationId: string | undefined, types: string[], zoneId = ZONE): AgentPost => ({
  sessionId,
  zoneId,
  applicationId,
  events: types.map((eventType) => ({ runId: null, eventType, reportedAt: null, body: { reason: eventType } })),
  at: Date.parse('2030-01-01T00:00:00Z'),
});

describe.each(testBackends())('the agent event log (group commit) on $name', (backend) => {
  const { harness, tokens, seed } = useSeedHarness(backend, ZONE);

  it('appends the posts of one turn in one statement, each post in order with ids ascending post after post', async () => {
    const first = await seed.create(tokens.one);
    const second = await seed.create(tokens.one);
    const { database, appends } = countingAppends(harness.database);
    const log = new AgentEventLog(database);
    const answers = await Promise.all([
      log.append(post(first.session_id, 'app_one', ['a', 'b'])),
      log.append(post(second.session_id, 'app_one', ['c'])),
      log.append(post(first.session_id, undefined, ['d', 'e', 'f'])),
    ]);
    expect(appends()).toBe(1);
    expect(answers.map((events) => events.map((event) => [event.session_id, event.event_type, event.reason]))).toEqual([
      [[first.session_id, 'a', 'a'], [first.session_id, 'b', 'b']],
      [[second.session_id, 'c', 'c']],
      [[first.session_id, 'd', 'd'], [first.session_id, 'e', 'e'], [first.session_id, 'f', 'f']],
    ]);
    const ids = answers.flat().map((event) => event.id);
    expect(ids).toEqual([...ids].sort((left, right) => left - right));
    const read = (await seed.call('GET', `/sessions/${first.session_id}/events?source=agent`, tokens.one)).json();
    expect(read.events).toEqual([...answers[0]!, ...answers[2]!]);
  });

  it('refuses only the posts whose poster may not see the session (another application, zone, or none), writing nothing of them', async () => {
    const session = await seed.create(tokens.one);
    const before = await allEventIds(harness);
    const log = new AgentEventLog(harness.database);
    const outcomes = await Promise.allSettled([
      log.append(post(session.session_id, 'app_two', ['other-application'])),
      log.append(post(session.session_id, 'app_one', ['mine'])),
      log.append(post(session.session_id, undefined, ['other-zone'], 'zone_elsewhere')),
      log.append(post('agentsess_00000000000000000000000000', undefined, ['nobody'])),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'fulfilled', 'rejected', 'rejected']);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ statusCode: 404, code: 'not_found' });
    }
    const mine = (outcomes[1] as PromiseFulfilledResult<Array<{ id: number; event_type: string }>>).value;
    expect(mine.map((event) => event.event_type)).toEqual(['mine']);
    expect(await allEventIds(harness)).toEqual([...before, mine[0]!.id]);
  });

  it('fails only the post that broke a shared statement: the others are appended alone', async () => {
    const session = await seed.create(tokens.one);
    const log = new AgentEventLog(harness.database);
    // Postgres refuses NUL in jsonb; the route refuses it before (assertStorable), the log must still isolate it.
    const broken = post(session.session_id, 'app_one', ['broken']);
    const bad: AgentPost = { ...broken, events: [{ ...broken.events[0]!, body: { reason: 'nul \u0000' } }] };
    const outcomes = await Promise.allSettled([
      log.append(post(session.session_id, 'app_one', ['before'])),
      log.append(bad),
      log.append(post(session.session_id, 'app_one', ['after'])),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const read = (await seed.call('GET', `/sessions/${session.session_id}/events?source=agent`, tokens.one)).json();
    expect(read.events.map((event: { event_type: string }) => event.event_type).sort()).toEqual(['after', 'before']);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { announceRun } from '../../../src/coordinator/runs/run-announcement.ts';
import { RUN_WAKEUP_CHANNEL } from '../../../src/coordinator/runs/run-facts.ts';
import type { RunRow } from '../../../src/coordinator/runs/run-row.ts';
import { testBackends } from '../../helpers/backends.ts';
import { useHarness } from '../coordinator-harness.ts';
import { runClient } from './run-client.ts';

const ZONE = 'zone_run_wake_batch';

/**
 * Runs announced at once share one NOTIFY statement, identical wakes counted (Postgres delivers
 * identical payloads of one transaction once): every long-polling runner that may take one is woken.
 */
describe.each(testBackends())('wakes of runs created at once, on $name', (backend) => {
  const { harness } = useHarness(backend, { zoneId: ZONE, seats: 50 });
  const client = runClient(harness);
  afterEach(() => vi.restoreAllMocks());
  const sqlOf = (call: unknown[]): string => String(call[0]);

  it('sends the wakes of one turn in one statement, alike ones as one counted payload', async () => {
    const heard: string[] = [];
    // NOTIFY channels are database-wide: tests in other schemas of a shared Postgres notify too.
    const unlisten = await harness.database.listen(RUN_WAKEUP_CHANNEL, (payload) => {
      if (payload.includes(`|${ZONE}|`)) heard.push(payload);
    });
    try {
      const statements = vi.spyOn(harness.database, 'query');
      const pending = (applicationId: string) =>
        ({ status: 'pending', zone_id: ZONE, application_id: applicationId, agent_name: null, blueprint_tags: [], runner_id: null }) as unknown as RunRow;
      await Promise.all([announceRun(harness.database, pending('app_a')), announceRun(harness.database, pending('app_b')), announceRun(harness.database, pending('app_a'))]);
      const wakes = statements.mock.calls.filter((call) => sqlOf(call).includes(RUN_WAKEUP_CHANNEL));
      statements.mockRestore();
      expect(wakes).toHaveLength(1);
      expect(wakes[0]![1]).toEqual([[`work*2|${ZONE}|app_a||`, `work|${ZONE}|app_b||`]]);
      await vi.waitUntil(() => heard.length >= 2);
      expect(heard.sort()).toEqual([`work*2|${ZONE}|app_a||`, `work|${ZONE}|app_b||`]);
    } finally {
      await unlisten();
    }
  });

  it('wakes one waiting runner per run created, however the wakes were grouped', async () => {
    const token = await harness.mint({ zoneId: ZONE, clientId: 'app_wake_batch', scopes: ['agent:lifecycle', 'tools:call'] });
    const runners = await Promise.all(['a', 'b', 'c'].map((name) => client.register(token, { hostname: `wake-${name}` })));
    const statements = vi.spyOn(harness.database, 'query');
    // Each runner waits far longer than the test may take: only a wake answers these polls.
    const polls = runners.map((runnerId) => client.poll(token, runnerId, 600));
    // A poll takes its wake-up ticket before its first look: once the three looks are sent, every wake counts.
    await vi.waitUntil(() => statements.mock.calls.filter((call) => sqlOf(call).includes('polling_runner')).length >= 3);
    const created = await Promise.all([1, 2, 3].map(() => client.createRun(token)));
    const answers = await Promise.all(polls);
    statements.mockRestore();
    const taken = answers.map((answer) => {
      expect(answer.statusCode, answer.body).toBe(200);
      return answer.json().run.run_id as string;
    });
    expect(taken.sort()).toEqual(created.map((run) => run.run_id).sort());
  });
});

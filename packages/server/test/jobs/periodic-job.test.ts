import { describe, expect } from 'vitest';
import { createPeriodicJob } from '../../src/jobs/periodic-job.ts';
import { testBackends } from '../helpers/backends.ts';
import { serverTest } from '../helpers/fixtures.ts';
import { manualTimers } from '../events/support/manual-timers.ts';

describe.each(testBackends())('periodic jobs on $name', (backend) => {
  serverTest.override('backend', backend);

  serverTest('runs each tick on one replica only, and again once the lease has run out', async ({ events }) => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    const runs: Array<{ replica: string; at: number }> = [];
    const replicas = await Promise.all(
      ['replica-1', 'replica-2', 'replica-3'].map(async (owner) =>
        createPeriodicJob({
          name: 'lease-test',
          intervalMs: 1000,
          owner,
          database: await events.openReplicaDatabase(),
          now: () => now,
          run: async (at) => {
            runs.push({ replica: owner, at: at.getTime() });
          },
        }),
      ),
    );
    const first = await Promise.all(replicas.map((job) => job.tick()));
    expect(first.filter((outcome) => outcome === 'ok')).toHaveLength(1);
    expect(first.filter((outcome) => outcome === 'skipped')).toHaveLength(2);
    now += 500;
    expect(await Promise.all(replicas.map((job) => job.tick()))).toEqual(['skipped', 'skipped', 'skipped']);
    now += 300; // 800 ms: the lease (80 % of the interval) has run out
    const second = await Promise.all(replicas.map((job) => job.tick()));
    expect(second.filter((outcome) => outcome === 'ok')).toHaveLength(1);
    expect(runs.map((run) => run.at)).toEqual([Date.parse('2030-01-01T00:00:00Z'), Date.parse('2030-01-01T00:00:00.800Z')]);
  });

  serverTest('reports a failing run as an error and keeps its schedule; stop waits for the run in flight', async ({ events }) => {
    const timers = manualTimers();
    const outcomes: string[] = [];
    let release: () => void = () => {};
    let secondStarted: () => void = () => {};
    const second = new Promise<void>((resolve) => (secondStarted = resolve));
    let calls = 0;
    const job = createPeriodicJob({
      name: 'schedule-test',
      intervalMs: 1000,
      owner: 'solo',
      database: events.database,
      timers,
      now: () => Date.now() + 3_600_000 * calls,
      onRun: (_name, outcome) => outcomes.push(outcome),
      run: async () => {
        calls += 1;
        if (calls === 1) throw new Error('sweeper failed');
        secondStarted();
        await new Promise<void>((resolve) => (release = resolve));
      },
    });
    let scheduled = timers.nextScheduled();
    job.start();
    expect(await scheduled).toBe(1000);
    scheduled = timers.nextScheduled();
    timers.fireNext();
    // The failed run is reported and the next tick is scheduled all the same.
    expect(await scheduled).toBe(1000);
    expect(outcomes).toEqual(['error']);
    timers.fireNext();
    await second;
    let stopped = false;
    const stopping = job.stop().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(outcomes).toEqual(['error', 'ok']);
    expect(calls).toBe(2);
    expect(timers.pendingDelays()).toEqual([]);
  });
});

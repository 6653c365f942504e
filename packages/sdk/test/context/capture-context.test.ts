import { EventEmitter } from 'node:events';
import { setImmediate as immediate } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { bind, captureContext, current, requireContext, wrapWithContext, type CaracalContext } from '../../src/index.ts';

function context(agentSessionId: string): CaracalContext {
  return { subjectToken: 'token', zoneId: 'zone_test', clientId: 'app_test', agentSessionId, hop: 0 };
}

/**
 * A worker like a connection pool's: created outside any context, it runs queued callbacks from
 * its own loop, so they lose the context of whoever queued them.
 */
function createWorkerQueue(): { submit(job: () => void): void; drain(): Promise<void> } {
  const jobs: Array<() => void> = [];
  const run = captureContext(); // captured outside any context: jobs run with none
  return {
    submit: (job) => void jobs.push(job),
    async drain() {
      await immediate();
      while (jobs.length > 0) run(jobs.shift() as () => void);
    },
  };
}

describe('captureContext re-enters a context in callbacks that lose it', () => {
  it('EventEmitter listeners run in the emitter\'s context unless captured', async () => {
    const emitter = new EventEmitter();
    const seen: Record<string, string | undefined> = {};
    bind(context('agentsess_listener'), () => {
      const run = captureContext();
      emitter.on('plain', () => { seen.plain = current()?.agentSessionId; });
      emitter.on('captured', () => run(() => { seen.captured = current()?.agentSessionId; }));
    });
    await bind(context('agentsess_emitter'), async () => {
      await immediate();
      emitter.emit('plain');
      emitter.emit('captured');
    });
    expect(seen).toEqual({ plain: 'agentsess_emitter', captured: 'agentsess_listener' });
  });

  it('a pool-style queue runs each job in the context that queued it', async () => {
    const worker = createWorkerQueue();
    const seen: Array<[string, string | undefined]> = [];
    const lost: Array<string | undefined> = [];
    await Promise.all(['agentsess_1', 'agentsess_2', 'agentsess_3'].map((id) => bind(context(id), async () => {
      await immediate();
      const run = captureContext();
      worker.submit(() => run(() => seen.push([id, requireContext().agentSessionId])));
      worker.submit(() => lost.push(current()?.agentSessionId));
    })));
    await worker.drain();
    expect(seen).toEqual([['agentsess_1', 'agentsess_1'], ['agentsess_2', 'agentsess_2'], ['agentsess_3', 'agentsess_3']]);
    // Without capture the job sees the worker's (empty) context, never a neighbour's.
    expect(lost).toEqual([undefined, undefined, undefined]);
  });

  it('a runner captured outside any context runs with none, even inside another binding', () => {
    const run = captureContext();
    bind(context('agentsess_other'), () => {
      expect(run(() => current())).toBeUndefined();
      expect(() => run(() => requireContext())).toThrow(expect.objectContaining({ code: 'NO_ACTIVE_CONTEXT' }));
    });
  });

  it('wrapWithContext binds a function with its arguments and this', async () => {
    const wrapped = bind(context('agentsess_wrapped'), () =>
      wrapWithContext(function (this: { prefix: string }, suffix: string) {
        return `${this.prefix}${current()?.agentSessionId}${suffix}`;
      }),
    );
    await immediate();
    expect(wrapped.call({ prefix: '<' }, '>')).toBe('<agentsess_wrapped>');
  });
});

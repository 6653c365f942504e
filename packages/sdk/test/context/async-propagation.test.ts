import { setImmediate as immediate } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { bind, current, type CaracalContext } from '../../src/index.ts';

function context(agentSessionId: string, hop = 0): CaracalContext {
  return { subjectToken: 'token', zoneId: 'zone_test', clientId: 'app_test', agentSessionId, hop };
}

const sessionId = (): string | undefined => current()?.agentSessionId;

describe('the bound context survives async boundaries', () => {
  it('is undefined outside any binding', () => {
    expect(current()).toBeUndefined();
  });

  it('survives awaits at any depth', async () => {
    const deep = async (depth: number): Promise<string | undefined> => {
      await Promise.resolve();
      return depth === 0 ? sessionId() : deep(depth - 1);
    };
    await expect(bind(context('agentsess_a'), () => deep(25))).resolves.toBe('agentsess_a');
  });

  it('survives setTimeout, setImmediate, queueMicrotask and process.nextTick', async () => {
    const seen = await bind(context('agentsess_t'), () =>
      Promise.all([
        new Promise((resolve) => setTimeout(() => resolve(sessionId()), 0)),
        new Promise((resolve) => setImmediate(() => resolve(sessionId()))),
        new Promise((resolve) => queueMicrotask(() => resolve(sessionId()))),
        new Promise((resolve) => process.nextTick(() => resolve(sessionId()))),
        immediate().then(sessionId),
      ]),
    );
    expect(seen).toEqual(Array(5).fill('agentsess_t'));
  });

  it('survives Promise.all and Promise.race, each branch in its own binding', async () => {
    const branch = (id: string) => bind(context(id), async () => {
      await immediate();
      return sessionId();
    });
    await expect(Promise.all([branch('agentsess_1'), branch('agentsess_2')])).resolves.toEqual(['agentsess_1', 'agentsess_2']);
    const raced = await bind(context('agentsess_outer'), () => Promise.race([immediate().then(sessionId), new Promise(() => {})]));
    expect(raced).toBe('agentsess_outer');
  });

  it('survives async generators and for await', async () => {
    async function* ticks(): AsyncGenerator<string | undefined> {
      for (let index = 0; index < 3; index += 1) {
        await immediate();
        yield sessionId();
      }
    }
    const seen = await bind(context('agentsess_gen'), async () => {
      const values: Array<string | undefined> = [];
      for await (const value of ticks()) values.push(value);
      return values;
    });
    expect(seen).toEqual(['agentsess_gen', 'agentsess_gen', 'agentsess_gen']);
  });

  it('restores the outer context after a nested binding, and none after the outer one', async () => {
    await bind(context('agentsess_outer'), async () => {
      await bind(context('agentsess_inner', 1), async () => {
        await immediate();
        expect(sessionId()).toBe('agentsess_inner');
      });
      expect(sessionId()).toBe('agentsess_outer');
    });
    expect(current()).toBeUndefined();
  });

  it('passes the frozen context to the callback and returns its result', () => {
    const result = bind(context('agentsess_r'), (bound) => {
      expect(Object.isFrozen(bound)).toBe(true);
      expect(bound).toBe(current());
      return 42;
    });
    expect(result).toBe(42);
  });
});

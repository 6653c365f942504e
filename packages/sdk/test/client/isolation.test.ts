import { setImmediate as immediate } from 'node:timers/promises';
import { describe, expect } from 'vitest';
import { current, delegate, headers, requireContext } from '../../src/index.ts';
import { clientTest } from '../support/client-fixture.ts';

/** Yields to the event loop a pseudo-random number of times so spawns interleave. */
async function shuffle(seed: number): Promise<void> {
  for (let turn = 0; turn < seed % 5; turn += 1) await immediate();
}

describe('concurrent spawns are isolated', () => {
  clientTest('200 interleaved spawns (each delegating once) never see one another\'s context', async ({ server, caracal }) => {
    const results = await Promise.all(Array.from({ length: 200 }, (_unused, index) =>
      caracal.spawn({ labels: { index: String(index) } }, async (context) => {
        const own = context.agentSessionId;
        const observed: Array<string | undefined> = [];
        for (let step = 0; step < 4; step += 1) {
          await shuffle(index + step);
          observed.push(current()?.agentSessionId);
        }
        const delegatedTo = await caracal.delegate({ to: `agentsess_01jtarget${String(index).padStart(17, '0')}`, scopes: ['x'] }, async (child) => {
          await shuffle(index);
          return [child.agentSessionId, requireContext().agentSessionId];
        });
        observed.push(current()?.agentSessionId);
        return { index, own, observed, delegatedTo };
      }),
    ));
    const owners = new Set(results.map((result) => result.own));
    expect(owners.size).toBe(200);
    for (const { index, own, observed, delegatedTo } of results) {
      expect(observed).toEqual(Array(5).fill(own));
      expect(delegatedTo).toEqual([`agentsess_01jtarget${String(index).padStart(17, '0')}`, `agentsess_01jtarget${String(index).padStart(17, '0')}`]);
    }
    // On the wire too: each delegation left from the session of the spawn that made it.
    const sourceByTarget = new Map(server.requestsTo('POST /zones/*/delegations').map((request) => [request.json?.target_session_id, request.json?.source_session_id]));
    for (const { index, own } of results) expect(sourceByTarget.get(`agentsess_01jtarget${String(index).padStart(17, '0')}`)).toBe(own);
    expect(server.requestsTo('POST /zones/*/agents')).toHaveLength(200);
    expect(server.requestsTo('DELETE /zones/*/agents/*')).toHaveLength(200);
    expect(current()).toBeUndefined();
  });

  clientTest('outside a context, calls that need one fail closed even while other contexts are active', async ({ server, caracal }) => {
    let release!: () => void;
    const hold = new Promise<void>((resolve) => (release = resolve));
    const busy = caracal.spawn({}, () => hold);
    await expect.poll(() => server.requestsTo('POST /zones/*/agents').length).toBe(1);
    expect(current()).toBeUndefined();
    expect(() => requireContext()).toThrow(expect.objectContaining({ code: 'NO_ACTIVE_CONTEXT', name: 'CaracalError' }));
    expect(() => headers()).toThrow(expect.objectContaining({ code: 'NO_ACTIVE_CONTEXT' }));
    expect(() => caracal.headers()).toThrow(expect.objectContaining({ code: 'NO_ACTIVE_CONTEXT' }));
    await expect(caracal.delegate({ to: 'agentsess_01jx0000000000000000000000', scopes: [] }, () => {})).rejects.toMatchObject({ code: 'NO_ACTIVE_CONTEXT' });
    await expect(delegate({ to: 'agentsess_01jx0000000000000000000000', scopes: [] }, () => {})).rejects.toMatchObject({ code: 'NO_ACTIVE_CONTEXT' });
    await expect(caracal.exchange({ resource: 'mcp://x' })).rejects.toMatchObject({ code: 'NO_ACTIVE_CONTEXT' });
    release();
    await busy;
  });
});

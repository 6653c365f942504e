import { describe, expect, it } from 'vitest';
import { GroupCommit, placesBy } from '../../src/db/group-commit.ts';

/** A commit function whose calls the test releases one by one. */
function heldCommits() {
  const calls: Array<{ items: readonly string[]; release(error?: Error): void }> = [];
  const waiters: Array<() => void> = [];
  const commit = (items: readonly string[]) =>
    new Promise<Array<string | Error>>((resolve, reject) => {
      calls.push({
        items,
        release: (error) => (error === undefined ? resolve(items.map((item) => (item.startsWith('refuse') ? new Error(item) : `done ${item}`))) : reject(error)),
      });
      for (const wake of waiters.splice(0)) wake();
    });
  const callCount = async (count: number): Promise<void> => {
    while (calls.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  return { calls, commit, callCount };
}

describe('GroupCommit', () => {
  it('commits the items of one turn together, and those arriving while maxInFlight statements run in the next', async () => {
    const held = heldCommits();
    const group = new GroupCommit(held.commit, { maxInFlight: 1 });
    const first = ['a', 'b', 'c'].map((item) => group.submit(item));
    await held.callCount(1);
    const second = ['d', 'e'].map((item) => group.submit(item));
    await new Promise((resolve) => setImmediate(resolve));
    expect(held.calls.map((call) => call.items)).toEqual([['a', 'b', 'c']]);
    held.calls[0]!.release();
    expect(await Promise.all(first)).toEqual(['done a', 'done b', 'done c']);
    await held.callCount(2);
    expect(held.calls[1]!.items).toEqual(['d', 'e']);
    held.calls[1]!.release();
    expect(await Promise.all(second)).toEqual(['done d', 'done e']);
  });

  it('splits a group by weight, never an item', async () => {
    const held = heldCommits();
    const group = new GroupCommit(held.commit, { maxInFlight: 4, maxWeight: 5, weight: (item) => item.length });
    const all = ['aaa', 'bb', 'c', 'dddddddd'].map((item) => group.submit(item));
    await held.callCount(3);
    expect(held.calls.map((call) => call.items)).toEqual([['aaa', 'bb'], ['c'], ['dddddddd']]);
    for (const call of held.calls) call.release();
    expect(await Promise.all(all)).toEqual(['done aaa', 'done bb', 'done c', 'done dddddddd']);
  });

  it('commits each part of a partitioned group on its own: a part that throws retries its items alone, the others stand', async () => {
    const held = heldCommits();
    const group = new GroupCommit(held.commit, { maxInFlight: 1, partition: (items) => placesBy(items, (item) => item[0]!) });
    const all = ['x1', 'y1', 'x2', 'y2'].map((item) => group.submit(item));
    await held.callCount(2);
    expect(held.calls.map((call) => call.items)).toEqual([
      ['x1', 'x2'],
      ['y1', 'y2'],
    ]);
    held.calls[0]!.release();
    held.calls[1]!.release(new Error('the y statement failed'));
    await held.callCount(4);
    expect(held.calls.slice(2).map((call) => call.items)).toEqual([['y1'], ['y2']]);
    for (const call of held.calls.slice(2)) call.release();
    expect(await Promise.all(all)).toEqual(['done x1', 'done y1', 'done x2', 'done y2']);
  });

  it('fails a refused item alone, and retries each item alone when the shared commit throws', async () => {
    const held = heldCommits();
    const group = new GroupCommit(held.commit, { maxInFlight: 1 });
    const outcomes = Promise.allSettled(['a', 'refuse b', 'c'].map((item) => group.submit(item)));
    await held.callCount(1);
    held.calls[0]!.release(new Error('shared statement failed'));
    await held.callCount(4);
    expect(held.calls.slice(1).map((call) => call.items)).toEqual([['a'], ['refuse b'], ['c']]);
    held.calls[1]!.release();
    held.calls[2]!.release(new Error('b broke it'));
    held.calls[3]!.release();
    expect((await outcomes).map((outcome) => (outcome.status === 'fulfilled' ? outcome.value : (outcome.reason as Error).message))).toEqual([
      'done a',
      'b broke it',
      'done c',
    ]);
  });

  it('rejects a refused item of a committed group with its own error', async () => {
    const held = heldCommits();
    const group = new GroupCommit(held.commit, { maxInFlight: 1 });
    const outcomes = Promise.allSettled(['a', 'refuse b'].map((item) => group.submit(item)));
    await held.callCount(1);
    held.calls[0]!.release();
    expect((await outcomes).map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected']);
  });
});

import type { Database } from '../../db/database.ts';
import { RUN_WAKEUP_CHANNEL } from '../runs/run-facts.ts';
import { runnerServes } from './runner-match.ts';
import type { RunnerRow } from './runner-row.ts';

/** A promise that resolves when the runner may have new work or a stop order (or the wait is cut short). */
export interface WakeupTicket {
  readonly woken: Promise<void>;
  /** Forgets the ticket (resolving it). */
  cancel(): void;
}

export interface RunWakeups {
  /** Take a ticket BEFORE looking for work, so a NOTIFY that lands while looking is not missed. */
  ticket(runner: RunnerRow): WakeupTicket;
  /** Resolves every ticket and refuses new waits (the server is closing). */
  close(): Promise<void>;
  readonly closed: boolean;
}

interface Waiter {
  runner: RunnerRow;
  wake: () => void;
}


/**
 * One LISTEN per process on the runs channel. New work wakes ONE waiting runner of this process
 * that may serve it (the longest waiting), not all of them: each run then costs one claim per
 * replica instead of one per runner, and SKIP LOCKED sorts out replicas racing. A stop order wakes
 * its runner. When the listening connection comes back after a loss, every poll looks again, as
 * NOTIFYs may have been missed.
 */
export async function openRunWakeups(database: Database): Promise<RunWakeups> {
  const waiting = new Map<string, Waiter[]>();
  let closed = false;
  const remove = (zoneId: string, waiter: Waiter): void => {
    const list = waiting.get(zoneId);
    if (list === undefined) return;
    const index = list.indexOf(waiter);
    if (index >= 0) list.splice(index, 1);
    if (list.length === 0) waiting.delete(zoneId);
  };
  const wakeAll = (): void => {
    const all = [...waiting.values()].flat();
    waiting.clear();
    for (const waiter of all) waiter.wake();
  };
  const onNotify = (payload: string): void => {
    const [kind, zoneId = '', party = '', agentName = '', ...rest] = payload.split('|');
    const list = waiting.get(zoneId) ?? [];
    const tags = rest.join('|');
    const run = { application_id: party, agent_name: agentName === '' ? null : agentName, blueprint_tags: tags === '' ? [] : tags.split(',') };
    const woken = kind === 'work' ? list.filter((waiter) => runnerServes(waiter.runner, run)).slice(0, 1) : list.filter((waiter) => waiter.runner.id === party);
    for (const waiter of woken) {
      remove(zoneId, waiter);
      waiter.wake();
    }
  };
  const unsubscribe = await database.listen(RUN_WAKEUP_CHANNEL, onNotify, { onRestored: wakeAll });
  return {
    ticket(runner) {
      let resolve!: () => void;
      const woken = new Promise<void>((settle) => (resolve = settle));
      if (closed) {
        resolve();
        return { woken, cancel: () => undefined };
      }
      const waiter: Waiter = { runner, wake: resolve };
      const list = waiting.get(runner.zone_id) ?? [];
      list.push(waiter);
      waiting.set(runner.zone_id, list);
      return {
        woken,
        cancel: () => {
          remove(runner.zone_id, waiter);
          resolve();
        },
      };
    },
    async close() {
      closed = true;
      wakeAll();
      await unsubscribe();
    },
    get closed() {
      return closed;
    },
  };
}

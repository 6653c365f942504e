import type { Database } from '../../db/database.ts';
import { RUN_WAKEUP_CHANNEL } from '../runs/run-facts.ts';
import { runnerServes, type RunMatchFacts } from './runner-match.ts';
import type { RunnerRow } from './runner-row.ts';

/** A promise that resolves when the runner may have new work or a stop order (or the wait is cut short). */
export interface WakeupTicket {
  readonly woken: Promise<void>;
  /**
   * Names the runner of a ticket taken before the runner was read (a poll's first look reads it):
   * resolves the ticket at once when a NOTIFY for it came meanwhile.
   */
  bind(runner: RunnerRow): void;
  /** Forgets the ticket (resolving it). */
  cancel(): void;
}

export interface RunWakeups {
  /**
   * Take a ticket BEFORE looking for work, so a NOTIFY that lands while looking is not missed.
   * Without `runner` (not read yet), the ticket keeps what comes for `zoneId` until bound. With
   * `claims: false` (a poll that takes no run) only its stop orders wake it: new work goes to a
   * runner that will take it.
   */
  ticket(zoneId: string, runner?: RunnerRow, options?: { claims?: boolean }): WakeupTicket;
  /** Resolves every ticket and refuses new waits (the server is closing). */
  close(): Promise<void>;
  readonly closed: boolean;
}

interface Waiter {
  /** Undefined until bound: the waiter then only keeps what came for its zone (`seen`). */
  runner: RunnerRow | undefined;
  /** Woken by new work it may serve (false: by its stop orders only). */
  claims: boolean;
  seen: Wakeup[];
  wake: () => void;
}

/** One NOTIFY: `work` for `count` runners that may serve `run`, or `stop` for runner `party`. */
interface Wakeup {
  kind: string;
  count: number;
  zoneId: string;
  party: string;
  run: RunMatchFacts;
}

function parseWakeup(payload: string): Wakeup {
  const [head = '', zoneId = '', party = '', agentName = '', ...rest] = payload.split('|');
  const tags = rest.join('|');
  // `work*<n>`: n runs alike (countedWakeupPayloads).
  const [kind = '', counted] = head.split('*');
  const count = counted === undefined ? 1 : Math.max(1, Number.parseInt(counted, 10) || 1);
  return { kind, count, zoneId, party, run: { application_id: party, agent_name: agentName === '' ? null : agentName, blueprint_tags: tags === '' ? [] : tags.split(',') } };
}

function wakes(waiter: Waiter, runner: RunnerRow, wakeup: Wakeup): boolean {
  return wakeup.kind === 'work' ? waiter.claims && runnerServes(runner, wakeup.run) : runner.id === wakeup.party;
}

/**
 * One LISTEN per process on the runs channel. New work wakes ONE waiting runner of this process
 * that may serve it (the longest waiting; n of them for `work*<n>`), not all of them: each run then costs one claim per
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
    const wakeup = parseWakeup(payload);
    const list = waiting.get(wakeup.zoneId) ?? [];
    // A waiter not bound yet keeps the wake-up for bind to judge, and takes none from the others.
    for (const waiter of list) if (waiter.runner === undefined) waiter.seen.push(wakeup);
    const matching = list.filter((waiter) => waiter.runner !== undefined && wakes(waiter, waiter.runner, wakeup));
    for (const waiter of wakeup.kind === 'work' ? matching.slice(0, wakeup.count) : matching) {
      remove(wakeup.zoneId, waiter);
      waiter.wake();
    }
  };
  const unsubscribe = await database.listen(RUN_WAKEUP_CHANNEL, onNotify, { onRestored: wakeAll });
  return {
    ticket(zoneId, runner, options = {}) {
      let resolve!: () => void;
      const woken = new Promise<void>((settle) => (resolve = settle));
      if (closed) {
        resolve();
        return { woken, bind: () => undefined, cancel: () => undefined };
      }
      const waiter: Waiter = { runner, claims: options.claims ?? true, seen: [], wake: resolve };
      const list = waiting.get(zoneId) ?? [];
      list.push(waiter);
      waiting.set(zoneId, list);
      const cancel = (): void => {
        remove(zoneId, waiter);
        resolve();
      };
      return {
        woken,
        bind: (bound) => {
          waiter.runner = bound;
          const missed = waiter.seen.some((wakeup) => wakes(waiter, bound, wakeup));
          waiter.seen = [];
          if (missed) cancel();
        },
        cancel,
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

import type { Timers } from '../../../src/time/timers.ts';

interface PendingTimer {
  readonly ms: number;
  readonly callback: () => void;
}

/** Timers that fire only when the test says so: every wait of a loop becomes a visible step. */
export interface ManualTimers extends Timers {
  /** Delays of the timers scheduled and not yet fired or cancelled, oldest first. */
  pendingDelays(): number[];
  /** How many timers have fired. */
  readonly fired: number;
  /** Fires the oldest pending timer; returns its delay. */
  fireNext(): number;
  /** Resolves with the delay of the next timer scheduled from now on (an event, not a sleep). */
  nextScheduled(): Promise<number>;
}

export function manualTimers(): ManualTimers {
  const pending: PendingTimer[] = [];
  const waiters: Array<(ms: number) => void> = [];
  let fired = 0;
  return {
    schedule(callback, ms) {
      const timer = { ms, callback };
      pending.push(timer);
      for (const waiter of waiters.splice(0)) waiter(ms);
      return () => {
        const index = pending.indexOf(timer);
        if (index !== -1) pending.splice(index, 1);
      };
    },
    pendingDelays: () => pending.map((timer) => timer.ms),
    get fired() {
      return fired;
    },
    fireNext() {
      const timer = pending.shift();
      if (timer === undefined) throw new Error('no timer is pending');
      fired += 1;
      timer.callback();
      return timer.ms;
    },
    nextScheduled: () => new Promise((resolve) => waiters.push(resolve)),
  };
}

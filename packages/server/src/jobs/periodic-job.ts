import type { Database } from '../db/database.ts';
import { systemTimers, type Timers } from '../time/timers.ts';
import { tryAcquireJobLease } from './job-lease.ts';

export type JobOutcome = 'ok' | 'error' | 'skipped';

export interface PeriodicJobOptions {
  name: string;
  intervalMs: number;
  /** The work of one tick; gets the injected time. */
  run: (now: Date) => Promise<unknown>;
  database: Database;
  /** Names this replica in the lease table. */
  owner: string;
  now: () => number;
  /** The wait between ticks; injectable for fake time. @default systemTimers */
  timers?: Timers;
  onRun?: (name: string, outcome: JobOutcome, error?: unknown) => void;
}

export interface PeriodicJob {
  start(): void;
  /** Cancels the next tick and waits for a running one to finish. */
  stop(): Promise<void>;
  /** One tick now (lease included); what the timer calls, exposed for tests. */
  tick(): Promise<JobOutcome>;
}

/**
 * A job that runs every `intervalMs` on one replica at a time: each tick first takes the job's
 * lease (for most of an interval), so other replicas skip that tick. Ticks never overlap within
 * a process (the next is scheduled when the previous ends) and the timer is unref'd.
 */
export function createPeriodicJob(options: PeriodicJobOptions): PeriodicJob {
  const timers = options.timers ?? systemTimers;
  let cancelTimer: (() => void) | undefined;
  let inFlight: Promise<JobOutcome> | undefined;
  let running = false;
  // Slightly shorter than the interval, so timer drift never makes the holder skip its own tick.
  const leaseMs = Math.max(1, Math.floor(options.intervalMs * 0.8));

  const tick = async (): Promise<JobOutcome> => {
    const now = new Date(options.now());
    let outcome: JobOutcome;
    try {
      const acquired = await tryAcquireJobLease(options.database, { job: options.name, owner: options.owner, now, leaseMs });
      if (acquired) await options.run(now);
      outcome = acquired ? 'ok' : 'skipped';
      options.onRun?.(options.name, outcome);
    } catch (error) {
      outcome = 'error';
      options.onRun?.(options.name, outcome, error);
    }
    return outcome;
  };

  const schedule = (): void => {
    if (!running) return;
    cancelTimer = timers.schedule(() => {
      inFlight = tick().finally(() => {
        inFlight = undefined;
        schedule();
      });
    }, options.intervalMs);
  };

  return {
    start() {
      if (running) return;
      running = true;
      schedule();
    },
    async stop() {
      running = false;
      cancelTimer?.();
      await inFlight;
    },
    tick,
  };
}

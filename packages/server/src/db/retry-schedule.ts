import type { Timers } from '../time/timers.ts';

export interface RetryScheduleSettings {
  timers: Timers;
  /** Wait before attempt number `attempt` (0-based). */
  delay(attempt: number): number;
  /** Checked when the timer fires: false skips the attempt (nothing left to do). */
  isWanted(): boolean;
  /** One attempt; a rejection schedules the next, later one. */
  attempt(): Promise<unknown>;
}

export interface RetrySchedule {
  /** Schedules the first attempt, unless one is already pending. */
  start(): void;
  /** Cancels the pending attempt and every later one, for good. */
  cancel(): void;
}

/** Attempts something after a delay, again with a longer delay while it fails: one timer at a time. */
export function createRetrySchedule(settings: RetryScheduleSettings): RetrySchedule {
  let cancelTimer: (() => void) | undefined;
  let cancelled = false;
  const schedule = (attempt: number): void => {
    if (cancelled || cancelTimer !== undefined) return;
    cancelTimer = settings.timers.schedule(() => {
      cancelTimer = undefined;
      if (cancelled || !settings.isWanted()) return;
      settings.attempt().catch(() => schedule(attempt + 1));
    }, settings.delay(attempt));
  };
  return {
    start: () => schedule(0),
    cancel() {
      cancelled = true;
      cancelTimer?.();
      cancelTimer = undefined;
    },
  };
}

import type { RunnerPollAnswer } from '@caracal/protocol';
import type { ServerContext } from '../../server-context.ts';
import { releaseMove } from '../runs/run-release.ts';
import { moveRun } from '../runs/run-moves.ts';
import { runView } from '../runs/run-row.ts';
import { claimRun, takeStopOrders } from './runner-claim.ts';
import type { RunnerRow } from './runner-row.ts';
import type { RunWakeups } from './run-wakeups.ts';

/**
 * A runner's long poll: stop orders first, then a run to claim; with neither, waits until a NOTIFY
 * for its zone (a new pending run, a stop order), the end of `waitMs`, or `signal` (the runner hung
 * up, the server closes), and looks again. Undefined: nothing came (204). A run claimed for a
 * runner that hung up meanwhile is given straight back.
 */
export async function pollForWork(
  context: ServerContext,
  wakeups: RunWakeups,
  runner: RunnerRow,
  options: { waitMs: number; signal: AbortSignal },
): Promise<RunnerPollAnswer | undefined> {
  const deadline = Date.now() + options.waitMs;
  // The first look also records the poll as a sign of life.
  for (let first = true; ; first = false) {
    const ticket = wakeups.ticket(runner);
    try {
      const stops = await takeStopOrders(context.database, runner.id, context.now(), { touch: first });
      if (stops.length > 0) return { stop_runs: stops.map((run) => run.id), stop_sessions: stops.map((run) => run.session_id) };
      const claimed = await claimRun(context.database, runner, context.now);
      if (claimed !== undefined) {
        if (options.signal.aborted) {
          await moveRun(context.database, claimed.id, context.now, (run) => (run.status === 'claimed' && run.runner_id === runner.id ? releaseMove(run, 'runner_hung_up') : undefined));
          return undefined;
        }
        return { run: runView(claimed) };
      }
      const left = deadline - Date.now();
      if (left <= 0 || options.signal.aborted || wakeups.closed) return undefined;
      await waitFor(ticket.woken, left, options.signal);
    } finally {
      ticket.cancel();
    }
  }
}

/** Resolves when `woken` does, after `ms`, or on abort, whichever is first. */
function waitFor(woken: Promise<void>, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    timer.unref();
    signal.addEventListener('abort', done, { once: true });
    void woken.then(done);
  });
}

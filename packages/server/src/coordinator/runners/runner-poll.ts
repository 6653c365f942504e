import type { RunnerPollAnswer } from '@caracal/protocol';
import type { Principal } from '../../auth/principal.ts';
import type { ServerContext } from '../../server-context.ts';
import { serverMetrics } from '../../server-metrics.ts';
import { releaseMove } from '../runs/run-release.ts';
import { moveRun } from '../runs/run-moves.ts';
import { runView } from '../runs/run-row.ts';
import { lookForWork } from './runner-claim.ts';
import type { RunnerRow } from './runner-row.ts';
import { assertRunnerVisible } from './runner-service.ts';
import type { RunWakeups } from './run-wakeups.ts';

/**
 * A runner's long poll: stop orders first, then a run to claim (unless `claim` is false: a runner
 * at its concurrency cap); with neither, waits until a NOTIFY for its zone (a new pending run it
 * would claim, a stop order), the end of `waitMs`, or `signal` (the runner hung up, the server
 * closes), and looks again. Undefined: nothing came (204). A runner the caller may not see answers
 * 404 (requireRunner's rule) and nothing is changed. A run claimed for a runner that hung up
 * meanwhile is given straight back.
 */
export async function pollForWork(
  context: ServerContext,
  wakeups: RunWakeups,
  poll: { principal: Principal; runnerId: string; waitMs: number; claim: boolean; signal: AbortSignal },
): Promise<RunnerPollAnswer | undefined> {
  const { principal, signal } = poll;
  const deadline = Date.now() + poll.waitMs;
  // The first look reads the runner (its ticket is bound once read) and records the poll as a sign of life.
  let runner: RunnerRow | undefined;
  for (;;) {
    const ticket = wakeups.ticket(principal.zoneId, runner, { claims: poll.claim });
    try {
      const first = runner === undefined;
      const look = await lookForWork(context.database, {
        runnerId: poll.runnerId,
        zoneId: principal.zoneId,
        applicationId: principal.admin ? null : principal.clientId,
        touch: first,
        claim: poll.claim,
        now: context.now(),
      }, { groupFallback: () => serverMetrics(context).groupFallbacks.inc({ group: 'claim' }) });
      if (first) {
        runner = assertRunnerVisible(principal, look.runner, poll.runnerId);
        ticket.bind(runner);
      } else if (look.runner === undefined) {
        return undefined; // removed while this poll waited
      }
      if (look.stops.length > 0) return { stop_runs: look.stops.map((run) => run.id), stop_sessions: look.stops.map((run) => run.session_id) };
      const claimed = look.claimed;
      if (claimed !== undefined) {
        if (signal.aborted) {
          await moveRun(context.database, claimed.id, context.now, (run) => (run.status === 'claimed' && run.runner_id === poll.runnerId ? releaseMove(run, 'runner_hung_up') : undefined));
          return undefined;
        }
        return { run: runView(claimed) };
      }
      const left = deadline - Date.now();
      if (left <= 0 || signal.aborted || wakeups.closed) return undefined;
      await waitFor(ticket.woken, left, signal);
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

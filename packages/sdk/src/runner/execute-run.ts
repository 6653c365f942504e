import type { Run } from './run.ts';
import { bind } from '../context/bind.ts';
import { isCaracalError } from '../errors.ts';
import type { CaracalContext } from '../model/caracal-context.ts';
import { newTraceId } from '../propagation/index.ts';
import { prepareEvent } from '../timeline/prepare-event.ts';
import { resultEvent } from '../timeline/run-events.ts';
import type { RunnerHost } from './create-runner.ts';
import { finalReport } from './run-outcome.ts';

/**
 * One claimed run, start to end: report `started`, run `execute` in the run's session context,
 * record the result on the session's timeline and flush it (the server ends the session when the
 * run ends), then report how it ended.
 * @internal
 */
export async function executeRun(runner: RunnerHost, run: Run, signal: AbortSignal): Promise<void> {
  const { options, internals, runnerId } = runner.settings;
  const started = await runner.report(run.run_id, { action: 'started', body: { runner_id: runnerId } });
  if (!started) {
    // Refused: a stop order came first (the run is `stopping`), or the run was taken back. A
    // stopping run waits for our `stopped`; any other state refuses it and nothing changes.
    if (!signal.aborted) await runner.report(run.run_id, { action: 'stopped', body: { runner_id: runnerId } });
    return;
  }
  const { config, reporter, sessionToken } = internals;
  let ended: { ok: true; value: unknown } | { ok: false; error: unknown };
  try {
    const context: CaracalContext = {
      subjectToken: await sessionToken(),
      zoneId: config.zoneId,
      clientId: config.clientId,
      agentSessionId: run.session_id,
      traceId: newTraceId(),
      hop: 0,
    };
    const value = await bind(context, (bound) => options.execute(run, { signal, context: bound }));
    ended = { ok: true, value };
  } catch (error) {
    ended = { ok: false, error };
  }
  const report = finalReport(runnerId, ended, signal, options.sessionStatus ?? 'finished');
  if (report.action === 'completed') {
    const event = resultEvent(report.body.result);
    if (event !== undefined) {
      try {
        reporter.enqueue(run.session_id, prepareEvent(event, config.clock.now()));
      } catch (error) {
        if (!isCaracalError(error)) throw error;
      }
    }
  }
  // The agent's events (tool calls, the result) reach the timeline before the run's end does.
  await reporter.flush(run.session_id);
  await runner.report(run.run_id, report);
}

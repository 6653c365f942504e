import type { RunReport } from './runner-client.ts';
import { isCaracalError } from '../errors.ts';
import { reportableJson } from '../timeline/reportable-value.ts';
import { runFailedEvent } from '../timeline/run-events.ts';

/** The server's bounds on what a runner reports (docs/runs.md). */
const RESULT_BYTES = 128 * 1024;
const ERROR_BYTES = 16 * 1024;

/** Why a run's signal aborted, as its `reason` says. */
export function abortKind(signal: AbortSignal): 'stopped' | 'closed' | undefined {
  if (!signal.aborted) return undefined;
  return isCaracalError(signal.reason) && signal.reason.code === 'RUNNER_CLOSED' ? 'closed' : 'stopped';
}

/** The failure's name, code and message, tokens redacted, bounded as the server takes it. */
export function failureText(error: unknown): string {
  const text = runFailedEvent(error).error ?? 'the run failed';
  return text.length === 0 ? 'the run failed' : text.slice(0, ERROR_BYTES / 4);
}

/**
 * The report that ends a run, from how `execute` ended: its value (completed), its error
 * (failed), or the signal (stopped; a closing runner fails its runs instead, since only a stop
 * order lets a running run become `stopped`).
 */
export function finalReport(
  runnerId: string,
  ended: { ok: true; value: unknown } | { ok: false; error: unknown },
  signal: AbortSignal,
  sessionStatus: 'finished' | 'idle',
): RunReport {
  const aborted = abortKind(signal);
  if (aborted === 'stopped') return { action: 'stopped', body: { runner_id: runnerId } };
  if (aborted === 'closed') return { action: 'failed', body: { runner_id: runnerId, error: 'the runner closed while the run was under way' } };
  if (!ended.ok) return { action: 'failed', body: { runner_id: runnerId, error: failureText(ended.error) } };
  const result = reportableJson(ended.value, RESULT_BYTES);
  return { action: 'completed', body: { runner_id: runnerId, status: 'completed', session_status: sessionStatus, ...(result === undefined ? {} : { result }) } };
}

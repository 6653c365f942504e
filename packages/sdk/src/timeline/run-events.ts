import type { PostEventBody } from '@caracal/protocol';
import { isCaracalError } from '../errors.ts';
import { reportableText } from './reportable-value.ts';

/**
 * The events `spawn()` records on the session it opened: the run starting, ending, failing, and
 * (when asked) the callback's return value as the result.
 * @internal
 */

const ERROR_BYTES = 4096;

export const runStartEvent = (): PostEventBody => ({ event_type: 'run_start' });

export const runCompletedEvent = (): PostEventBody => ({ event_type: 'run_completed' });

/** The failure's name, code and message, tokens redacted; never its stack. */
export function runFailedEvent(error: unknown): PostEventBody {
  let summary: string;
  if (error instanceof Error) {
    const code = isCaracalError(error) ? ` [${error.code}]` : '';
    summary = `${error.name}${code}: ${error.message}`;
  } else {
    summary = `thrown: ${typeof error === 'string' ? error : typeof error}`;
  }
  return { event_type: 'run_failed', error: reportableText(summary, ERROR_BYTES) };
}

/** The callback's return value: a string as `result_text`, any other JSON value as `result_data`. */
export function resultEvent(value: unknown): PostEventBody | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? { event_type: 'result', result_text: value } : { event_type: 'result', result_data: value };
}

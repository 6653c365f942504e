import { TERMINAL_RUN_STATUSES, type PostEventBody, type RunStatus } from '@caracal/protocol';
import { conflict } from '../../http/server-error.ts';

/** Event types that move a session's run status (docs/sessions.md, Run status). */
const MOVING_TYPES: ReadonlySet<string> = new Set(['run_start', 'run_completed', 'run_failed']);

export function isTerminalRunStatus(status: RunStatus): boolean {
  return TERMINAL_RUN_STATUSES.includes(status);
}

/** True when some event of the post moves the run status (the post then locks the session). */
export function movesRunStatus(events: readonly Pick<PostEventBody, 'event_type'>[]): boolean {
  return events.some((event) => MOVING_TYPES.has(event.event_type));
}

/**
 * The run status after a post's events, applied in order: `run_start` → running, `run_completed`
 * → finished (or idle when it says `session_status: "idle"`), `run_failed` → failed. A terminal
 * status is final: `run_completed` and `run_failed` after it change nothing (a repeated report),
 * and `run_start` is refused, since the session's authority ended with its run.
 */
export function runStatusAfter(current: RunStatus, events: readonly Pick<PostEventBody, 'event_type' | 'session_status'>[], sessionId: string): RunStatus {
  let status = current;
  for (const event of events) {
    if (!MOVING_TYPES.has(event.event_type)) continue;
    if (isTerminalRunStatus(status)) {
      if (event.event_type === 'run_start') {
        throw conflict(`session ${sessionId} is ${status}: its authority ended with its run; create a new session`, 'session_not_active');
      }
      continue;
    }
    if (event.event_type === 'run_start') status = 'running';
    else if (event.event_type === 'run_failed') status = 'failed';
    else status = event.session_status === 'idle' ? 'idle' : 'finished';
  }
  return status;
}

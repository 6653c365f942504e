import { requireContext } from '../context/current.ts';
import { CaracalError } from '../errors.ts';
import type { CaracalContext } from '../model/caracal-context.ts';
import type { Clock } from '../time/clock.ts';
import { prepareEvent } from './prepare-event.ts';
import type { TimelineEvent } from './timeline-event.ts';
import type { TimelineStats } from './timeline-options.ts';
import type { TimelineReporter } from './timeline-reporter.ts';

/**
 * What an agent's run produced, as the session's `result` event carries it (and
 * `GET /sessions/{id}/result` returns it).
 * @since 0.1.0
 */
export type TimelineResult = Pick<TimelineEvent, 'result_text' | 'result_data'>;

/**
 * Recording on the current session's timeline (`caracal.timeline`, or the module-level
 * `timeline` for the default client). Recording queues the event and returns at once: events go
 * to the server in batches in the background, and a server that is down or refuses them costs the
 * agent nothing but the events (see `stats()`).
 * @example
 * await caracal.spawn({ kind: 'ephemeral' }, async () => {
 *   caracal.timeline.record({ event_type: 'message', role: 'assistant', content: [{ type: 'text', text: 'Looking it up.' }] });
 *   caracal.timeline.result({ result_text: 'done', result_data: { pages: 3 } });
 * });
 * @since 0.1.0
 */
export interface SessionTimeline {
  /**
   * Queues an event for the current context's session. Large fields are truncated with a marker.
   * @returns false when the event was dropped (queue full, or too large even truncated).
   * @throws CaracalError `NO_ACTIVE_CONTEXT` / `NO_AGENT_SESSION` outside a session's context, `INVALID_ARGUMENT` for a malformed event.
   */
  record(event: TimelineEvent): boolean;
  /** Records the run's result: a `result` event with `result_text` and/or `result_data`. */
  result(result: TimelineResult): boolean;
  /** Counts of events sent, dropped and failed since the client was created. */
  stats(): TimelineStats;
  /** Waits until the queued events are sent or given up on, at most the flush timeout. Never rejects. */
  flush(): Promise<void>;
}

/** The session a context records on: its own, even inside a delegation to another application's session. */
function recordingSessionOf(context: CaracalContext): string {
  const sessionId = context.actingSessionId ?? context.agentSessionId;
  if (sessionId === undefined) {
    throw new CaracalError('NO_AGENT_SESSION', 'timeline.record() needs a context with an agent session: call it inside spawn() (or delegate()).');
  }
  return sessionId;
}

/** @internal */
export function createSessionTimeline(reporter: TimelineReporter, clock: Clock): SessionTimeline {
  const record = (event: TimelineEvent): boolean => {
    const sessionId = recordingSessionOf(requireContext());
    return reporter.enqueue(sessionId, prepareEvent(event, clock.now()));
  };
  return Object.freeze({
    record,
    result(result: TimelineResult): boolean {
      if (typeof result !== 'object' || result === null) throw new CaracalError('INVALID_ARGUMENT', 'timeline.result() takes { result_text?, result_data? }.');
      return record({ event_type: 'result', result_text: result.result_text, result_data: result.result_data });
    },
    stats: () => reporter.stats(),
    flush: () => reporter.flush(),
  });
}

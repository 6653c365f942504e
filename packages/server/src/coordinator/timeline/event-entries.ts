import { TIMELINE_EVENT_MAX_BYTES, type PostEventBody } from '@caracal/protocol';
import { ServerError } from '../../http/server-error.ts';
import { assertStorable } from '../shared/storable-json.ts';
import { parseTimestamp } from '../shared/time.ts';
import type { SeedSessionRecord } from './seed-session-repository.ts';
import type { TimelineEntry } from './timeline-entry.ts';

/**
 * Checks what the schema cannot (each event's JSON size, text Postgres can store, nesting) so a
 * bad event refuses the whole post before anything is written.
 */
export function assertPostableEvents(events: readonly PostEventBody[]): void {
  events.forEach((event, index) => {
    const where = events.length === 1 ? 'the event' : `event ${index}`;
    const bytes = Buffer.byteLength(JSON.stringify(event));
    if (bytes > TIMELINE_EVENT_MAX_BYTES) {
      throw new ServerError(413, 'request_too_large', `${where} is ${bytes} bytes of JSON; an event may be at most ${TIMELINE_EVENT_MAX_BYTES}`);
    }
    assertStorable(event, where);
    // The schema's date-time admits what a Date cannot hold (a leap second): refused, not guessed.
    if (typeof event.timestamp === 'string') parseTimestamp(event.timestamp, `${where}'s timestamp`);
  });
}

/** What an agent's posted event carries into its timeline entry: the seed fields go in its body. */
export function agentEventFields(event: PostEventBody): { runId: string | null; eventType: string; reportedAt: string | null; body: Record<string, unknown> } {
  const { event_type: eventType, run_id: runId, timestamp, ...fields } = event;
  const body: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(fields)) if (value !== undefined && value !== null) body[field] = value;
  return {
    runId: runId ?? null,
    eventType,
    reportedAt: typeof timestamp === 'string' ? new Date(Date.parse(timestamp)).toISOString() : null,
    body,
  };
}

/** An agent's posted event as a timeline entry of `session`. */
export function agentEntry(session: SeedSessionRecord, event: PostEventBody): TimelineEntry {
  return { zoneId: session.zone_id, sessionId: session.id, applicationId: session.application_id, source: 'agent', ...agentEventFields(event) };
}

import type { SeedSession, SessionEvent } from '@caracal/protocol';

/** A session's timeline as the log shows it: events in server order, no duplicates. */
export interface TimelineState {
  events: SessionEvent[];
  session: SeedSession | undefined;
}

export function emptyTimeline(): TimelineState {
  return { events: [], session: undefined };
}

/**
 * Merges events (a page read, or live ones) into the timeline. The live feed and the page read
 * overlap by design (the feed starts first), so events are keyed by their server id.
 */
export function mergeEvents(state: TimelineState, incoming: readonly SessionEvent[]): TimelineState {
  if (incoming.length === 0) return state;
  const last = state.events.at(-1);
  // The common case, a live event after the newest: append without re-sorting.
  if (incoming.length === 1 && (last === undefined || incoming[0]!.id > last.id)) return { ...state, events: [...state.events, incoming[0]!] };
  const byId = new Map<number, SessionEvent>();
  for (const event of state.events) byId.set(event.id, event);
  for (const event of incoming) byId.set(event.id, event);
  return { ...state, events: [...byId.values()].sort((a, b) => a.id - b.id) };
}

/** Applies one message of the session feed (`/sse/sessions?session_id=`) to the timeline. */
export function applySessionFeedMessage(state: TimelineState, type: string, message: Record<string, unknown>): TimelineState {
  switch (type) {
    case 'init': {
      const sessions = Array.isArray(message['sessions']) ? (message['sessions'] as SeedSession[]) : [];
      return { ...state, session: sessions[0] ?? state.session };
    }
    case 'event':
      return mergeEvents(state, [message['data'] as SessionEvent]);
    case 'session_created':
    case 'session_updated':
      return { ...state, session: message['session'] as SeedSession };
    default:
      return state;
  }
}

/** One line of text about an event, beside its type (what the operator scans for). */
export function eventSummary(event: SessionEvent): string {
  const details = event.details ?? {};
  const parts: string[] = [];
  if (event.tool_name !== null) parts.push(event.tool_name);
  if (typeof details['resource'] === 'string') parts.push(details['resource']);
  if (Array.isArray(details['scopes'])) parts.push(details['scopes'].join(' '));
  if (typeof details['reason'] === 'string') parts.push(`reason: ${details['reason']}`);
  if (event.reason !== null) parts.push(event.reason);
  if (event.error !== null) parts.push(`error: ${event.error}`);
  if (event.result_text !== null) parts.push(event.result_text);
  return parts.join(' · ');
}

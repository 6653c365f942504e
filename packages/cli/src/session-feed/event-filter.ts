import type { SessionEvent, UncheckedBody } from '@caracal/protocol';
import type { EventFilter } from '../http/session-client.ts';

/**
 * The filters of `GET /sessions/{id}/events` applied to live events, which the feed sends
 * unfiltered: the same lists of types and sources, and `since` ≤ timestamp.
 */
export function eventMatcher(filter: EventFilter): (event: UncheckedBody<SessionEvent>) => boolean {
  const types = filter.eventType === undefined ? undefined : new Set(filter.eventType.split(','));
  const sources = filter.source === undefined ? undefined : new Set(filter.source.split(','));
  const since = filter.since === undefined ? undefined : Date.parse(filter.since);
  return (event) =>
    (types === undefined || types.has(String(event.event_type))) &&
    (sources === undefined || sources.has(String(event.source))) &&
    (since === undefined || Date.parse(String(event.timestamp)) >= since);
}

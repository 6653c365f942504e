import type { PublishedEvent } from './bus-event.ts';

/** One timeline entry as the Agent Coordinator feeds send it: the message's JSON and the session it is about. */
export interface SessionFeedItem {
  type: string;
  json: string;
  /** The JSON as UTF-8, encoded once for every WebSocket that sends it. */
  bytes: Buffer;
  sessionId: string | undefined;
}

/**
 * Rendered once per bus event and shared by every connection that may see it whole: with 200
 * dashboards watching, the JSON is built once, not 200 times.
 */
const rendered = new WeakMap<PublishedEvent, SessionFeedItem | null>();

/**
 * The Agent Coordinator message for a timeline entry (`session_event` → `event`, the session changes as
 * they are, `run_…` with the run's fields), or undefined for an entry the seed protocol does not
 * carry. The outbox payload's `zone_id` and `application_id` (read by feed visibility) are not
 * part of the message.
 */
export function sessionFeedItem(event: PublishedEvent): SessionFeedItem | undefined {
  let item = rendered.get(event);
  if (item === undefined) {
    item = render(event) ?? null;
    rendered.set(event, item);
  }
  return item ?? undefined;
}

function render(event: PublishedEvent): SessionFeedItem | undefined {
  if (!isRecord(event.payload)) return undefined;
  const { zone_id: _zone, application_id: _application, ...fields } = event.payload;
  switch (event.type) {
    case 'session_event':
      return item('event', { type: 'event', data: fields }, fields.session_id);
    case 'session_created':
    case 'session_updated': {
      const session = fields.session;
      if (!isRecord(session)) return undefined;
      return item(event.type, { type: event.type, session }, session.session_id);
    }
    case 'session_deleted':
      return item('session_deleted', { type: 'session_deleted', session_id: fields.session_id }, fields.session_id);
    default:
      // Runs publish their state changes (`run_failed`, and whatever else `run_…` they add) with
      // the run's fields, which the message carries beside its type.
      return event.type.startsWith('run_') ? item(event.type, { ...fields, type: event.type }, fields.session_id) : undefined;
  }
}

function item(type: string, message: Record<string, unknown>, sessionId: unknown): SessionFeedItem {
  const json = JSON.stringify(message);
  return { type, json, bytes: Buffer.from(json), sessionId: typeof sessionId === 'string' ? sessionId : undefined };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

import type { FeedEvent } from '@caracal/protocol';
import { badRequest } from '../http/server-error.ts';
import { parseFeedCursor } from './feed-cursor.ts';
import { ALL_TOPICS, FEED_TOPICS } from './topics.ts';

/** What a feed request asks for, validated (bad input is a 400, never a 5xx). */
export interface FeedRequest {
  topics: string[];
  cursor: Map<string, string> | undefined;
}

/**
 * `topics=a,b` (default: the four authority topics; the session timeline only by name) and a resume cursor from a header or the query, whose shapes
 * the route's schema checked: here they are checked against the topics this server publishes.
 */
export function parseFeedRequest(input: { topics: string | undefined; cursor: string | undefined }): FeedRequest {
  let topics: string[] = [...ALL_TOPICS];
  if (input.topics !== undefined) {
    const requested = input.topics.split(',').map((topic) => topic.trim()).filter((topic) => topic !== '');
    const unknown = requested.filter((topic) => !FEED_TOPICS.includes(topic));
    if (unknown.length > 0) throw badRequest(`unknown topic ${unknown[0]}; topics are ${FEED_TOPICS.join(', ')}`);
    if (requested.length > 0) topics = [...new Set(requested)];
  }
  let cursor: Map<string, string> | undefined;
  if (input.cursor !== undefined && input.cursor !== '') {
    const parsed = parseFeedCursor(input.cursor, topics);
    if (parsed === null) throw badRequest('the resume cursor (Last-Event-ID) is not one this server issued');
    cursor = parsed;
  }
  return { topics, cursor };
}

/** The JSON every feed (SSE `data:` and WebSocket message) carries for one event. */
export function feedEventJson(
  event: { topic: string; type: string; zoneId: string; outboxId: string; streamId: string; occurredAt: string; payload: unknown },
  cursor: string,
): string {
  const body: FeedEvent = {
    topic: event.topic,
    type: event.type,
    zone_id: event.zoneId,
    outbox_id: event.outboxId,
    stream_id: event.streamId,
    occurred_at: event.occurredAt,
    payload: event.payload,
    cursor,
  };
  return JSON.stringify(body);
}

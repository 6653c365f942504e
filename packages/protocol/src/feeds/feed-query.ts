import { Type, type Static } from 'typebox';
import { AgentSessionId, Name } from '../primitives.ts';

/** Longest resume cursor a feed reads: one `topic@streamId` pair per topic. */
export const FEED_CURSOR_MAX_LENGTH = 4096;

const Topics = Type.String({ maxLength: 1024 });
const Cursor = Type.String({ maxLength: FEED_CURSOR_MAX_LENGTH });
/** Browsers' EventSource and WebSocket cannot set headers, so the mandate may ride in the query. */
const AccessToken = Type.String();

/** What an SSE feed's query ends with: the resume cursor (for clients that cannot send `Last-Event-ID`) and the mandate. */
const sseResume = { last_event_id: Type.Optional(Cursor), access_token: Type.Optional(AccessToken) };

/** `GET /zones/{zoneId}/events` (SSE). */
export const EventsParams = Type.Object({ zoneId: Name });
export type EventsParams = Static<typeof EventsParams>;

/**
 * `?topics=a,b` (default: every topic), the resume cursor when the client cannot send
 * `Last-Event-ID`, and the mandate. Topic names and cursors are checked against the feed itself.
 */
export const EventsQuery = Type.Object({ topics: Type.Optional(Topics), ...sseResume });
export type EventsQuery = Static<typeof EventsQuery>;

/** The resume cursor as EventSource sends it on reconnection. */
export const EventsHeaders = Type.Object({ 'last-event-id': Type.Optional(Cursor) });
export type EventsHeaders = Static<typeof EventsHeaders>;

/**
 * `GET /ws` (WebSocket). With `zone_id` it is the zone feed (`topics`, `cursor`); without it, the
 * Agent Coordinator session feed of the bearer's zone (`session_id` filters to one session). Which
 * parameters go with which protocol is checked by the route, so a mix is a clear 400.
 */
export const WebSocketQuery = Type.Object({
  zone_id: Type.Optional(Name),
  topics: Type.Optional(Topics),
  cursor: Type.Optional(Cursor),
  session_id: Type.Optional(AgentSessionId),
  access_token: Type.Optional(AccessToken),
});
export type WebSocketQuery = Static<typeof WebSocketQuery>;

/** `GET /sse/sessions`: one session's messages only (`session_id`), the resume cursor, the mandate. */
export const SessionFeedQuery = Type.Object({ session_id: Type.Optional(AgentSessionId), ...sseResume });
export type SessionFeedQuery = Static<typeof SessionFeedQuery>;

import { Type, type Static } from 'typebox';

/**
 * One event as the live feeds carry it (an SSE `data:` line, a WebSocket message), with the
 * cursor that resumes the feed right after it.
 */
export const FeedEvent = Type.Object({
  topic: Type.String(),
  type: Type.String(),
  zone_id: Type.String(),
  outbox_id: Type.String(),
  stream_id: Type.String(),
  occurred_at: Type.String(),
  payload: Type.Unknown(),
  cursor: Type.String(),
});
export type FeedEvent = Static<typeof FeedEvent>;

/** The first message of a WebSocket feed, once it is live: the cursor it starts from. */
export const FeedReady = Type.Object({ ready: Type.Literal(true), cursor: Type.String() });
export type FeedReady = Static<typeof FeedReady>;

import { Type, type Static } from 'typebox';
import { SeedSession, SessionEvent } from '../coordinator/timeline-schemas.ts';
import { AgentSessionId } from '../primitives.ts';

/**
 * The Agent Coordinator live feed's messages (`GET /ws` without `zone_id`, and `GET /sse/sessions`, whose
 * SSE `event:` is the `type` and whose `data:` is the whole message).
 */

/** First message of a fresh connection: the sessions the caller may see, newest first. */
export const SessionFeedInit = Type.Object({ type: Type.Literal('init'), sessions: Type.Array(SeedSession) });
export type SessionFeedInit = Static<typeof SessionFeedInit>;

/** A timeline event, as `GET /sessions/{id}/events` shows it. */
export const SessionFeedEvent = Type.Object({ type: Type.Literal('event'), data: SessionEvent });
export type SessionFeedEvent = Static<typeof SessionFeedEvent>;

/** A session was created or changed: the whole session as of that change. */
export const SessionFeedSessionChange = Type.Object({
  type: Type.Union([Type.Literal('session_created'), Type.Literal('session_updated')]),
  session: SeedSession,
});
export type SessionFeedSessionChange = Static<typeof SessionFeedSessionChange>;

export const SessionFeedSessionDeleted = Type.Object({ type: Type.Literal('session_deleted'), session_id: AgentSessionId });
export type SessionFeedSessionDeleted = Static<typeof SessionFeedSessionDeleted>;

/** A run failed: the run's fields beside `type` (runs publish them). */
export const SessionFeedRunFailed = Type.Object({ type: Type.Literal('run_failed') }, { additionalProperties: true });
export type SessionFeedRunFailed = Static<typeof SessionFeedRunFailed>;

export const SessionFeedMessage = Type.Union([
  SessionFeedInit,
  SessionFeedEvent,
  SessionFeedSessionChange,
  SessionFeedSessionDeleted,
  SessionFeedRunFailed,
]);
export type SessionFeedMessage = Static<typeof SessionFeedMessage>;

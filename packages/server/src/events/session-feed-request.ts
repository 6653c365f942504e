import { TIMELINE_TOPIC } from '@caracal/protocol';
import { badRequest, notFound } from '../http/server-error.ts';
import { parseFeedCursor } from './feed-cursor.ts';
import type { FeedViewer } from './feed-visibility.ts';
import type { SessionFeedSessions } from './session-feed-sessions.ts';

/** What a seed-feed connection asks for, checked before the stream or upgrade starts. */
export interface SessionFeedRequest {
  /** The bearer's zone. */
  zoneId: string;
  viewer: FeedViewer;
  /** Only this session's messages (`?session_id=`). */
  sessionId: string | undefined;
  /** Where to resume (SSE `Last-Event-ID`); a fresh connection has none and starts with `init`. */
  cursor: Map<string, string> | undefined;
}

/**
 * Checks the filter and the cursor. A session the viewer may not see (unknown, another zone's,
 * another application's) is a 404 `not_found`, as the Coordinator answers: its existence is not
 * told apart from absence.
 */
export async function parseSessionFeedRequest(
  sessions: SessionFeedSessions,
  input: { zoneId: string; viewer: FeedViewer; sessionId: string | undefined; cursor: string | undefined },
): Promise<SessionFeedRequest> {
  let cursor: Map<string, string> | undefined;
  if (input.cursor !== undefined && input.cursor !== '') {
    const parsed = parseFeedCursor(input.cursor, [TIMELINE_TOPIC]);
    if (parsed === null || !parsed.has(TIMELINE_TOPIC)) throw badRequest('the resume cursor (Last-Event-ID) is not one this feed issued');
    cursor = parsed;
  }
  if (input.sessionId !== undefined) {
    const owner = await sessions.ownerOf(input.sessionId);
    const visible =
      owner !== undefined && owner.zoneId === input.zoneId && (input.viewer.operator || owner.applicationId === input.viewer.applicationId);
    if (!visible) throw notFound(`no session ${input.sessionId} in this zone`);
  }
  return { zoneId: input.zoneId, viewer: input.viewer, sessionId: input.sessionId, cursor };
}

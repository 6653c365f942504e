import type { SeedSession } from '@caracal/protocol';
import type { FeedViewer } from './feed-visibility.ts';

/**
 * What the session feed needs to know of sessions, passed in by the Coordinator (which owns them;
 * the feeds sit below it): the `init` list and who owns a session named in a filter.
 */
export interface SessionFeedSessions {
  /** The sessions a fresh connection starts from, newest first, as `viewer` may see them. */
  list(request: { zoneId: string; viewer: FeedViewer; sessionId: string | undefined }): Promise<SeedSession[]>;
  /** The session's zone and application, or undefined when there is no such session (or it was deleted). */
  ownerOf(sessionId: string): Promise<{ zoneId: string; applicationId: string } | undefined>;
}

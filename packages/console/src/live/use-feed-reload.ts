import { useEffect } from 'preact/hooks';
import { followSse } from './follow-sse.ts';

/** The stream of session timeline events, the runs' facts among them (`TIMELINE_TOPIC` in @caracal/protocol). */
const TIMELINE_TOPIC = 'caracal.sessions.timeline';

/** What a list needs of a feed event to tell whether it changes: its `type` and `payload`. */
export interface FeedEventHead {
  type: string;
  payload: unknown;
}

export interface FeedReloadOptions {
  zoneId: string;
  token: () => string;
  /** Whether a feed event changes the list. */
  changesList: (event: FeedEventHead) => boolean;
  reload: () => void;
  /** At most one reload per this many ms: events inside it make one reload at its end. @default 300 */
  intervalMs?: number;
}

/**
 * Keeps a list view current while it is open: follows the zone's timeline feed and reloads the list
 * when an event that changes it arrives, and once each time the feed goes live (for what changed
 * before it was following). Reloads are spaced, so a burst of events reads the list once.
 */
export function useFeedReload({ zoneId, token, changesList, reload, intervalMs = 300 }: FeedReloadOptions): void {
  useEffect(() => {
    const controller = new AbortController();
    let lastReload = Number.NEGATIVE_INFINITY;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const scheduleReload = (): void => {
      if (timer !== undefined) return;
      timer = setTimeout(() => {
        timer = undefined;
        lastReload = Date.now();
        reload();
      }, Math.max(0, lastReload + intervalMs - Date.now()));
    };
    void followSse({
      url: `/zones/${encodeURIComponent(zoneId)}/events?topics=${TIMELINE_TOPIC}`,
      token,
      signal: controller.signal,
      onStatus: (status) => {
        if (status === 'live') scheduleReload();
      },
      onMessage: (message) => {
        if (message.event !== undefined && message.event !== 'message') return;
        try {
          const { type, payload } = JSON.parse(message.data) as { type?: unknown; payload?: unknown };
          if (typeof type === 'string' && changesList({ type, payload })) scheduleReload();
        } catch {
          // Not an event of ours: nothing to reload for.
        }
      },
    });
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [zoneId, token, reload, intervalMs]);
}

import type { SessionEvent } from '@caracal/protocol';
import { useEffect, useState } from 'preact/hooks';
import { collect, type AdminClient } from '../api/console-api.ts';
import { followSse, type FeedStatus } from './follow-sse.ts';
import { applySessionFeedMessage, emptyTimeline, mergeEvents, type TimelineState } from './timeline-state.ts';

/** Most events a timeline reads back when it opens (newer ones follow live). */
const HISTORY_LIMIT = 5000;

/**
 * Follows one session's timeline: the session feed first (its `init` fixes the position), then
 * the history read by pages, merged by event id; afterwards every event arrives from the feed.
 */
export function useTimeline(api: AdminClient, token: () => string, sessionId: string | undefined): TimelineState & { status: FeedStatus } {
  const [state, setState] = useState<TimelineState>(emptyTimeline);
  const [status, setStatus] = useState<FeedStatus>('connecting');
  useEffect(() => {
    setState(emptyTimeline());
    if (sessionId === undefined) return undefined;
    const controller = new AbortController();
    let historyRead = false;
    void followSse({
      url: `/sse/sessions?session_id=${encodeURIComponent(sessionId)}`,
      token,
      signal: controller.signal,
      onStatus: setStatus,
      onMessage: (message) => {
        let body: Record<string, unknown>;
        try {
          body = JSON.parse(message.data) as Record<string, unknown>;
        } catch {
          return;
        }
        const type = typeof body['type'] === 'string' ? body['type'] : (message.event ?? '');
        setState((current) => applySessionFeedMessage(current, type, body));
        if (type === 'init' && !historyRead) {
          historyRead = true;
          void collect<SessionEvent>(api.timeline.events(sessionId), HISTORY_LIMIT).then(
            (events) => !controller.signal.aborted && setState((current) => mergeEvents(current, events)),
            () => undefined,
          );
        }
      },
    });
    return () => controller.abort();
  }, [api, sessionId]);
  return { ...state, status };
}

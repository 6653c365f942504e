import { openEventFeed, type EventFeed } from './event-feed.ts';
import { feedEventJson, type FeedRequest } from './feed-request.ts';
import { eventForViewer, type FeedViewer } from './feed-visibility.ts';
import type { FeedRouteOptions } from './sse-route.ts';

/** A client this far behind is cut off; it resumes from its last cursor instead of growing memory. */
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** What a feed connection writes to: an SSE response or a WebSocket. */
export interface FeedTransport {
  /** Sends one event's feed JSON; `cursor` resumes after it. */
  send(json: string, cursor: string): void;
  /** Bytes written but not yet taken by the client. */
  bufferedBytes(): number;
  /** Ends the transport (and its heartbeat); called once per `end()`, also after the client left. */
  close(): void;
}

/** One client of a live feed, held in `openFeeds` (so shutdown ends it) from creation until `end()`. */
export interface FeedConnection {
  /** Closes the feed and the transport; safe to call more than once. */
  end(): void;
  /**
   * Opens the feed, showing `viewer` what it may see; undefined when the connection ended
   * meanwhile (the feed is closed again).
   */
  open(zoneId: string, feedRequest: FeedRequest, viewer: FeedViewer): Promise<EventFeed | undefined>;
}

export function feedConnection(options: FeedRouteOptions, transport: FeedTransport): FeedConnection {
  const { context, relay, openFeeds } = options;
  let feedClose: (() => void) | undefined;
  const end = (): void => {
    feedClose?.();
    openFeeds.delete(end);
    transport.close();
  };
  openFeeds.add(end);
  const open = async (zoneId: string, feedRequest: FeedRequest, viewer: FeedViewer): Promise<EventFeed | undefined> => {
    const feed = await openEventFeed({
      bus: context.bus,
      relay,
      signingSecret: context.config.eventSigningSecret,
      topics: feedRequest.topics,
      zoneId,
      cursor: feedRequest.cursor,
      onEvent: (event, cursor) => {
        // A hidden event still moves the cursor: resuming never brings it back.
        const visible = eventForViewer(event, viewer);
        if (visible === undefined) return;
        transport.send(feedEventJson(visible, cursor), cursor);
        if (transport.bufferedBytes() > MAX_BUFFERED_BYTES) end();
      },
    });
    feedClose = feed.close;
    if (openFeeds.has(end)) return feed;
    feed.close();
    return undefined;
  };
  return { end, open };
}

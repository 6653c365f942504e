import { TIMELINE_TOPIC, type SessionFeedInit } from '@caracal/protocol';
import type { EventBus } from './event-bus.ts';
import { openEventFeed } from './event-feed.ts';
import { MAX_BUFFERED_BYTES, type FeedTransport } from './feed-connection.ts';
import { eventForViewer } from './feed-visibility.ts';
import { sessionFeedItem } from './session-feed-message.ts';
import type { SessionFeedRequest } from './session-feed-request.ts';
import { compareStreamIds } from './stream-id.ts';
import type { FeedRouteOptions } from './sse-route.ts';
import type { Corkable } from './write-coalescer.ts';

/** What a seed-feed connection writes to; `type` is the message's (SSE sends it as `event:`). */
export interface SessionFeedTransport extends Omit<FeedTransport, 'send'> {
  send(message: SessionFeedOutgoing, cursor: string): void;
  /** The socket (or response) whose writes of one window go out together. */
  corkable: Corkable;
}

/** One message as a transport sends it. */
export interface SessionFeedOutgoing {
  type: string;
  json: string;
  /** The JSON already encoded, when it is shared by many connections. */
  bytes?: Buffer;
}

export interface SessionFeedConnection {
  /** Closes the feed and the transport; safe to call more than once. */
  end(): void;
  /** Starts the feed; false when the connection ended meanwhile. */
  open(request: SessionFeedRequest): Promise<boolean>;
}

/**
 * One client of the Agent Coordinator feed (`/ws` without a zone, `/sse/sessions`), over the timeline
 * topic. A fresh connection gets `init` first: the session list is read AFTER the feed's position
 * is fixed and every message from that position is held back until `init` is sent, so a change is
 * never missed between the list and the messages (one committed meanwhile may show in both, as
 * the same state). A resumed connection gets no `init`: exactly the messages after its cursor
 * (unless the bus no longer holds them all: then it starts over as a fresh one).
 */
export function sessionFeedConnection(options: FeedRouteOptions, transport: SessionFeedTransport): SessionFeedConnection {
  const { context, relay, openFeeds } = options;
  let feedClose: (() => void) | undefined;
  let held: Array<[message: SessionFeedOutgoing, cursor: string]> | undefined = [];
  const end = (): void => {
    feedClose?.();
    openFeeds.delete(end);
    transport.close();
  };
  openFeeds.add(end);
  const deliver = (message: SessionFeedOutgoing, cursor: string): void => {
    options.coalescer.write(transport.corkable, () => {
      if (!openFeeds.has(end)) return;
      transport.send(message, cursor);
      if (transport.bufferedBytes() > MAX_BUFFERED_BYTES) end();
    });
  };

  const open = async (request: SessionFeedRequest): Promise<boolean> => {
    const resumeFrom = (await resumable(context.bus, request.cursor)) ? request.cursor : undefined;
    let startCursor = '';
    const feed = await openEventFeed({
      bus: context.bus,
      relay,
      signingSecret: context.config.eventSigningSecret,
      topics: [TIMELINE_TOPIC],
      zoneId: request.zoneId,
      cursor: resumeFrom,
      onPositioned: (cursor) => {
        startCursor = cursor;
      },
      onEvent: (event, cursor) => {
        // A hidden or filtered-out entry still moves the cursor: resuming never brings it back.
        const visible = eventForViewer(event, request.viewer);
        if (visible === undefined) return;
        const item = sessionFeedItem(visible);
        if (item === undefined || (request.sessionId !== undefined && item.sessionId !== request.sessionId)) return;
        if (held !== undefined) held.push([item, cursor]);
        else deliver(item, cursor);
      },
    });
    feedClose = feed.close;
    if (resumeFrom === undefined) {
      // On failure the caller ends the connection: held messages are never sent without their init.
      const sessions = await options.sessions.list(request);
      const init: SessionFeedInit = { type: 'init', sessions };
      deliver({ type: 'init', json: JSON.stringify(init) }, startCursor);
    }
    const pending = held ?? [];
    held = undefined;
    for (const [message, cursor] of pending) deliver(message, cursor);
    if (openFeeds.has(end)) return true;
    feed.close();
    return false;
  };
  return { end, open };
}

/**
 * Whether the bus still holds everything after `cursor`. A cursor older than the oldest entry
 * the stream keeps (trimmed at 100,000 entries, minutes at a high rate) would replay with a hole
 * in it; such a connection starts over as a fresh one (`init`, then live) instead. `0-0` is the
 * cursor of a feed that started on an empty stream: everything since is still there unless the
 * stream was trimmed, which the bus cannot tell, so it resumes.
 */
async function resumable(bus: EventBus, cursor: ReadonlyMap<string, string> | undefined): Promise<boolean> {
  const position = cursor?.get(TIMELINE_TOPIC);
  if (position === undefined) return false;
  if (position === '0-0') return true;
  const [oldest] = await bus.read(TIMELINE_TOPIC, { afterId: '0', limit: 1 });
  return oldest === undefined || compareStreamIds(position, oldest.id) >= 0;
}

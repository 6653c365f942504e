import { decodeBusEntry, type PublishedEvent } from './bus-event.ts';
import type { EventBus } from './event-bus.ts';
import type { EventRelay } from './event-relay.ts';
import { formatFeedCursor } from './feed-cursor.ts';
import { createRecentIds } from './recent-ids.ts';
import { compareStreamIds } from './stream-id.ts';

export interface EventFeedOptions {
  bus: EventBus;
  relay: EventRelay;
  signingSecret: string;
  topics: readonly string[];
  /** Only events of this zone are passed on. */
  zoneId: string;
  /** Where to resume; topics missing from it start at their newest entry. */
  cursor?: ReadonlyMap<string, string>;
  /** Called for every event, in stream order per topic, with the cursor to resume after it. */
  onEvent: (event: PublishedEvent, cursor: string) => void;
  /** Called once the starting position is fixed (before any `onEvent`), with its cursor. */
  onPositioned?: (cursor: string) => void;
  /** Entries per backfill read. @default 500 */
  pageSize?: number;
}

export interface EventFeed {
  /** The position after everything handled so far; a client may resume from it. */
  cursor(): string;
  close(): void;
}

/**
 * One client's live feed. Order of operations is what guarantees "no loss, no duplicates":
 *  1. listen on the relay, buffering;
 *  2. fix a position per topic (from the cursor, or the newest id now);
 *  3. backfill from the bus after those positions, page by page;
 *  4. replay the buffer, then go live — both only for entries past the topic's position.
 * Anything appended after step 1 reaches the relay listener, anything before step 3's reads is
 * in the backfill, and the position check removes the overlap.
 */
export async function openEventFeed(options: EventFeedOptions): Promise<EventFeed> {
  const { bus, relay, topics } = options;
  const pageSize = options.pageSize ?? 500;
  const positions = new Map<string, string>();
  // Backfill may meet both copies of a re-published row; the relay already drops them live.
  const seen = createRecentIds(10_000);
  let buffer: PublishedEvent[] | undefined = [];
  let closed = false;

  const emit = (event: PublishedEvent): void => {
    const position = positions.get(event.topic);
    if (closed || position === undefined || compareStreamIds(event.streamId, position) <= 0) return;
    positions.set(event.topic, event.streamId);
    if (!seen.add(event.outboxId) || event.zoneId !== options.zoneId) return;
    options.onEvent(event, formatFeedCursor(positions));
  };

  const removers = topics.map((topic) =>
    relay.on(topic, (event) => {
      if (buffer !== undefined) buffer.push(event);
      else emit(event);
    }),
  );
  const close = (): void => {
    closed = true;
    for (const remove of removers) remove();
  };

  try {
    await relay.start();
    for (const topic of topics) positions.set(topic, options.cursor?.get(topic) ?? (await bus.latestId(topic)));
    options.onPositioned?.(formatFeedCursor(positions));
    for (const topic of topics) {
      for (;;) {
        const entries = await bus.read(topic, { afterId: positions.get(topic)!, limit: pageSize });
        for (const entry of entries) {
          const decoded = decodeBusEntry(topic, entry, options.signingSecret);
          if (decoded.ok) emit(decoded.event);
          else if (!closed) positions.set(topic, entry.id);
        }
        if (entries.length < pageSize || closed) break;
      }
    }
  } catch (error) {
    close();
    throw error;
  }
  const buffered = buffer;
  buffer = undefined;
  for (const event of buffered) emit(event);
  return { close, cursor: () => formatFeedCursor(positions) };
}

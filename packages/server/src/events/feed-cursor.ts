import { isStreamId } from './stream-id.ts';

/**
 * A live feed's resume position: the last stream id processed on EVERY topic of the feed, not
 * just the topic of the last event. An SSE client only echoes the id of the last event it got,
 * so that id must carry all topics' positions for `Last-Event-ID` to resume with no loss on the
 * quiet topics and no repeats on the busy ones.
 *
 * Wire form: `topic@streamId` pairs joined by `,`, sorted by topic, e.g.
 * `caracal.agents.lifecycle@1731000000000-3,caracal.sessions.revoke@1731000000002-0`.
 */
export type FeedCursor = ReadonlyMap<string, string>;

export function formatFeedCursor(cursor: FeedCursor): string {
  return [...cursor.entries()]
    .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))
    .map(([topic, id]) => `${topic}@${id}`)
    .join(',');
}

/**
 * Parses a cursor for a feed over `topics`. Positions of topics the feed does not carry are
 * ignored (the client changed its topic list); `null` when the text is not a cursor at all.
 */
export function parseFeedCursor(value: string, topics: readonly string[]): Map<string, string> | null {
  const cursor = new Map<string, string>();
  if (value.length > 4096) return null;
  for (const part of value.split(',')) {
    const at = part.lastIndexOf('@');
    if (at <= 0) return null;
    const topic = part.slice(0, at);
    const id = part.slice(at + 1);
    if (!isStreamId(id)) return null;
    if (topics.includes(topic)) cursor.set(topic, id);
  }
  return cursor;
}

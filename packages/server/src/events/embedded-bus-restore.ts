import { hostname } from 'node:os';
import type { Queryable } from '../db/database.ts';
import { encodeBusFields } from './bus-event.ts';
import type { EventBus } from './event-bus.ts';

/**
 * How far back the in-process bus is rebuilt at start: as long as a receiver remembers a
 * revocation (docs/decisions/2026-12-04-revocation-model.md), the window its feed replays.
 */
export const RESTORE_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Rows read per query while rebuilding. */
const PAGE_SIZE = 1000;

/** At most this many entries per topic are restored: what the in-process bus keeps anyway. */
const DEFAULT_MAX_ENTRIES_PER_TOPIC = 100_000;

interface PublishedRow {
  id: string;
  topic: string;
  zone_id: string | null;
  event_type: string;
  payload: unknown;
  created_at: Date | string;
  published_at: Date | string;
}

/**
 * The in-process bus starts empty, so after a restart a verifier whose feed replays the last 24 h
 * would not learn of revocations published before it. This re-appends, in publish order, every
 * outbox row published in the last 24 h, each dated by its `published_at` (so a cursor taken
 * before the restart still finds what came after it) and signed with the current event secret.
 * Only `topics` are restored (the authority topics and the session timeline, whose feeds resume
 * across a restart too), each at most its newest `maxEntriesPerTopic` rows of the window.
 * Runs before the feeds and the publisher start; a bus that already holds entries or that keeps
 * its own streams (Redis) is left alone. Returns how many entries were restored.
 */
export async function restoreEmbeddedBus(options: {
  database: Queryable;
  bus: EventBus;
  signingSecret: string;
  now: number;
  topics: readonly string[];
  /** @default 100 000 */
  maxEntriesPerTopic?: number;
}): Promise<number> {
  const { bus } = options;
  if (bus.restore === undefined) return 0;
  for (const topic of options.topics) if ((await bus.latestId(topic)) !== '0-0') return 0;
  const publishedBy = `${hostname()}:${process.pid}:restore`;
  const since = new Date(options.now - RESTORE_WINDOW_MS).toISOString();
  const maxEntries = options.maxEntriesPerTopic ?? DEFAULT_MAX_ENTRIES_PER_TOPIC;
  // Per topic, the oldest row still kept (the newest `maxEntries` of the window): one pass in id
  // order then dates every topic's entries by publish time, as they were.
  const floors: string[] = [];
  for (const topic of options.topics) {
    const { rows } = await options.database.query<{ id: string }>(
      `SELECT id::text AS id FROM caracal_outbox
        WHERE status = 'published' AND published_at >= $1::timestamptz AND topic = $2
        ORDER BY caracal_outbox.id DESC OFFSET $3 LIMIT 1`,
      [since, topic, maxEntries - 1],
    );
    floors.push(rows[0]?.id ?? '0');
  }
  let restored = 0;
  let afterId = '0';
  for (;;) {
    // Numeric id order (not the text alias's) is publish order here: the in-process bus has one process, whose publisher claims rows in id order.
    const { rows } = await options.database.query<PublishedRow>(
      `SELECT id::text AS id, topic, zone_id, event_type, payload, created_at, published_at FROM caracal_outbox
        WHERE status = 'published' AND published_at >= $1::timestamptz AND id > $2::bigint
          AND EXISTS (SELECT 1 FROM unnest($4::text[], $5::bigint[]) AS kept (topic, floor)
                       WHERE kept.topic = caracal_outbox.topic AND caracal_outbox.id >= kept.floor)
        ORDER BY caracal_outbox.id LIMIT $3`,
      [since, afterId, PAGE_SIZE, options.topics, floors],
    );
    for (const row of rows) {
      const fields = encodeBusFields(
        row.topic,
        { outboxId: row.id, type: row.event_type, zoneId: row.zone_id ?? '', payload: row.payload, occurredAt: new Date(row.created_at).toISOString() },
        { publishedBy, signingSecret: options.signingSecret },
      );
      bus.restore(row.topic, { ...fields }, new Date(row.published_at).getTime());
    }
    restored += rows.length;
    if (rows.length < PAGE_SIZE) return restored;
    afterId = rows.at(-1)!.id;
  }
}

import { TIMELINE_TOPIC, type SessionEvent } from '@caracal/protocol';
import type { Database } from '../../db/database.ts';
import { perDatabase } from '../../db/per-database.ts';
import { GroupCommit } from '../../db/group-commit.ts';
import { sessionEventPayloadSql } from '../../events/timeline-facts-sql.ts';
import { notFound } from '../../http/server-error.ts';
import { retryingConcurrentChanges } from '../shared/concurrent-change.ts';
import { wakeOutboxPublishers } from '../shared/outbox-wakeup-repository.ts';
import { sessionEventView, type SessionEventRow } from './timeline-entry.ts';

/** One agent's post of events that leave the run status alone, as the log appends it. */
export interface AgentPost {
  sessionId: string;
  /** Whose post: the session must be of this zone, and of this application unless it is undefined (an operator). */
  zoneId: string;
  applicationId: string | undefined;
  events: ReadonlyArray<{ runId: string | null; eventType: string; reportedAt: string | null; body: Record<string, unknown> }>;
  /** The server's time of the post (milliseconds since the epoch). */
  at: number;
}

/** Statements in flight at once; posts arriving meanwhile wait and go together in the next one. */
const MAX_IN_FLIGHT = 4;
/**
 * At most this many events per statement (a post is never split): large posts go side by side in
 * statements of their own, on several backends, rather than one after another in a single one
 * (measured: 4 batches of 500 in one statement were slower than in four).
 */
const MAX_EVENTS_PER_STATEMENT = 500;

/**
 * One statement, a fixed text (kept prepared), for any number of posts: the events travel as one
 * array per column. It holds each named session against a concurrent delete (FOR KEY SHARE, in id
 * order), appends the events of the posts whose session the poster may see (seedVisibility's rule
 * in SQL) in array order, writes one outbox row per event, and answers the rows in id order with
 * the indexes of the posts it appended: their events got the ids in that order, post after post.
 */
const APPEND_SQL = `WITH input AS (
    SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::timestamptz[], $9::jsonb[])
      WITH ORDINALITY AS input (post, session_id, zone_id, application_id, run_id, event_type, recorded_at, reported_at, body, position)
  ),
  target AS (
    SELECT id, zone_id, application_id, seed_deleted_at FROM agent_sessions
    WHERE id = ANY ($10::text[]) ORDER BY id FOR KEY SHARE
  ),
  visible AS (
    SELECT input.*, target.application_id AS owner FROM input JOIN target ON target.id = input.session_id
    WHERE target.zone_id = input.zone_id AND target.seed_deleted_at IS NULL
      AND (input.application_id IS NULL OR target.application_id = input.application_id)
  ),
  inserted AS (
    INSERT INTO session_events (zone_id, session_id, application_id, run_id, event_type, source, recorded_at, reported_at, body)
    SELECT zone_id, session_id, owner, run_id, event_type, 'agent', recorded_at, reported_at, body FROM visible ORDER BY position
    RETURNING *
  ),
  feed AS (
    INSERT INTO caracal_outbox (topic, event_type, zone_id, payload)
    SELECT '${TIMELINE_TOPIC}', 'session_event', recorded.zone_id, ${sessionEventPayloadSql('recorded')}
    FROM inserted AS recorded ORDER BY recorded.id
  )
  SELECT inserted.*, (SELECT array_agg(DISTINCT post) FROM visible) AS visible_posts FROM inserted ORDER BY id`;

/**
 * Appends agents' posts to the timelines with group commit (GroupCommit): the posts that arrive
 * while earlier statements are in flight go together in one autocommit statement (a synchronous
 * commit, WAL flushed), and each post's promise settles once that statement committed. So an
 * answered event is committed, ids and order come from the server, and N concurrent agents share
 * one round trip and one WAL flush instead of four round trips and a flush each
 * (docs/decisions/2026-12-05-timeline-group-commit.md). One bad post fails only itself.
 */
export class AgentEventLog {
  readonly #database: Database;
  readonly #group: GroupCommit<AgentPost, SessionEvent[]>;

  constructor(database: Database) {
    this.#database = database;
    this.#group = new GroupCommit((posts) => this.#append(posts), {
      maxInFlight: MAX_IN_FLIGHT,
      maxWeight: MAX_EVENTS_PER_STATEMENT,
      weight: (post) => post.events.length,
    });
  }

  /** Appends `post`; its events in server order, or 404 when the poster may not see the session. */
  append(post: AgentPost): Promise<SessionEvent[]> {
    return this.#group.submit(post);
  }

  async #append(posts: readonly AgentPost[]): Promise<Array<SessionEvent[] | Error>> {
    const columns: unknown[][] = [[], [], [], [], [], [], [], [], []];
    posts.forEach((post, index) => {
      const recordedAt = new Date(post.at).toISOString();
      for (const event of post.events) {
        const values = [index, post.sessionId, post.zoneId, post.applicationId ?? null, event.runId, event.eventType, recordedAt, event.reportedAt, JSON.stringify(event.body)];
        values.forEach((value, column) => columns[column]!.push(value));
      }
    });
    const sessions = [...new Set(posts.map((post) => post.sessionId))];
    const { rows } = await retryingConcurrentChanges(() =>
      this.#database.query<SessionEventRow & { visible_posts: number[] | null }>(APPEND_SQL, [...columns, sessions], { prepare: true }),
    );
    wakeOutboxPublishers(this.#database);
    const visible = new Set((rows[0]?.visible_posts ?? []).map(Number));
    let next = 0;
    return posts.map((post, index) => {
      if (!visible.has(index)) return notFound(`session ${post.sessionId} not found`);
      const events = rows.slice(next, next + post.events.length).map(sessionEventView);
      next += post.events.length;
      return events;
    });
  }
}

const logOf = perDatabase<AgentEventLog>();

/** The database's one AgentEventLog (posts to one database share its statements). */
export function agentEventLogOf(database: Database): AgentEventLog {
  return logOf(database, () => new AgentEventLog(database));
}

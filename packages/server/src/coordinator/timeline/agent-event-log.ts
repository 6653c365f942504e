import { TIMELINE_TOPIC, type SessionEvent } from '@caracal/protocol';
import type { Database } from '../../db/database.ts';
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
/** At most this many events per statement (a post is never split). */
const MAX_EVENTS_PER_STATEMENT = 2000;

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

interface Pending {
  post: AgentPost;
  resolve(events: SessionEvent[]): void;
  reject(error: unknown): void;
}

/**
 * Appends agents' posts to the timelines with group commit: the posts that arrive while earlier
 * statements are in flight go together in one autocommit statement (a synchronous commit, WAL
 * flushed), and each post's promise settles once that statement committed. So an answered event is
 * committed, ids and order come from the server, and N concurrent agents share one round trip and
 * one WAL flush instead of four round trips and a flush each
 * (docs/decisions/2026-12-05-timeline-group-commit.md). If a shared statement fails, each of its
 * posts runs again alone, so one bad post fails only itself.
 */
export class AgentEventLog {
  readonly #database: Database;
  #pending: Pending[] = [];
  #inFlight = 0;
  #scheduled = false;

  constructor(database: Database) {
    this.#database = database;
  }

  /** Appends `post`; its events in server order, or 404 when the poster may not see the session. */
  append(post: AgentPost): Promise<SessionEvent[]> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ post, resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled || this.#inFlight >= MAX_IN_FLIGHT || this.#pending.length === 0) return;
    this.#scheduled = true;
    // The end of this turn: the posts that arrived with this one go with it.
    setImmediate(() => {
      this.#scheduled = false;
      while (this.#inFlight < MAX_IN_FLIGHT && this.#pending.length > 0) void this.#flush(this.#take());
    });
  }

  #take(): Pending[] {
    let events = 0;
    let count = 0;
    while (count < this.#pending.length) {
      events += this.#pending[count]!.post.events.length;
      if (count > 0 && events > MAX_EVENTS_PER_STATEMENT) break;
      count += 1;
    }
    return this.#pending.splice(0, count);
  }

  async #flush(batch: Pending[]): Promise<void> {
    this.#inFlight += 1;
    try {
      await this.#settle(batch);
    } finally {
      this.#inFlight -= 1;
      this.#schedule();
    }
  }

  async #settle(batch: Pending[]): Promise<void> {
    let appended: SessionEvent[][];
    try {
      appended = await this.#append(batch.map((pending) => pending.post));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      // Whatever failed the shared statement must fail only the post that caused it.
      await Promise.all(batch.map((pending) => this.#settle([pending])));
      return;
    }
    batch.forEach((pending, index) => {
      const events = appended[index]!;
      if (events.length === 0) pending.reject(notFound(`session ${pending.post.sessionId} not found`));
      else pending.resolve(events);
    });
  }

  async #append(posts: readonly AgentPost[]): Promise<SessionEvent[][]> {
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
      if (!visible.has(index)) return [];
      const events = rows.slice(next, next + post.events.length).map(sessionEventView);
      next += post.events.length;
      return events;
    });
  }
}

const logs = new WeakMap<Database, AgentEventLog>();

/** The database's one AgentEventLog (posts to one database share its statements). */
export function agentEventLogOf(database: Database): AgentEventLog {
  let log = logs.get(database);
  if (log === undefined) {
    log = new AgentEventLog(database);
    logs.set(database, log);
  }
  return log;
}

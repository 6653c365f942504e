import type { Database } from '../../db/database.ts';
import { GroupCommit } from '../../db/group-commit.ts';
import { timelineFactCtes } from '../../events/timeline-facts-sql.ts';
import { OUTBOX_CHANNEL } from '../../events/topics.ts';

/** What the STS records about one exchange on the presenting session's timeline. */
export interface ExchangeRecord {
  zoneId: string;
  sessionId: string;
  /** The session's application (who sees the record). */
  applicationId: string;
  eventType: 'mandate_minted' | 'mandate_refused';
  details: Record<string, unknown>;
  /** Milliseconds since the epoch: the exchange's own clock reading. */
  at: number;
}

/**
 * One statement for any number of records, a fixed text (so it stays prepared): the records
 * travel as one array per column and are appended in array order. `flush: false` commits without
 * waiting for the WAL flush (synchronous_commit off for this statement's transaction only).
 */
function recordSql(flush: boolean): string {
  const ctes = timelineFactCtes('recorded', {
    source: 'sts',
    facts: `SELECT zone_id, session_id, application_id, event_type, details, recorded_at, position
      FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::timestamptz[])
        WITH ORDINALITY AS input (zone_id, session_id, application_id, event_type, details, recorded_at, position)`,
    orderBy: 'fact.position',
  });
  const commit = flush ? '' : `, (SELECT set_config('synchronous_commit', 'off', true)) AS commit_mode`;
  return `WITH ${ctes.join(',\n')}
    SELECT count(*)::int AS recorded${commit} FROM recorded`;
}

/**
 * The live feeds hear of records at most this late: one NOTIFY to the outbox publishers per this
 * interval, after a commit, rather than one per batch (a NOTIFY is a statement and a commit of
 * its own; at thousands of mints a second, one per batch cost more server time than the records).
 * A lost wake only delays the records to the publishers' next poll.
 */
const RECORD_WAKE_INTERVAL_MS = 50;

/**
 * One record statement in flight at a time. The records of the exchanges that arrive meanwhile wait and
 * go together in the next statement: fewer, larger statements cost Postgres (on the same cores as
 * the server, as often as not) less per record than one small statement per turn.
 */
const MAX_IN_FLIGHT = 1;

/**
 * Records exchanges on the sessions' timelines with group commit (GroupCommit): the records of the
 * exchanges that reach it in one turn of the event loop, or while earlier records are being
 * written, are appended by one autocommit statement, and each exchange's promise settles when that
 * statement has committed. An exchange answers only after its record committed, so no mandate is
 * ever handed out unrecorded, while N concurrent mints share one round trip and one commit
 * (docs/decisions/2026-12-04-mint-audit.md). If the batch fails, each of its records is retried
 * alone, so one bad record fails only its own exchange.
 */
export class ExchangeAuditLog {
  readonly #database: Database;
  readonly #sql: string;
  readonly #group: GroupCommit<ExchangeRecord, void>;
  #wakeScheduled = false;

  /**
   * `flushCommit` (default false): wait for each batch's WAL flush too. Off, a record is committed
   * (every reader sees it, in order) before its exchange answers, but its WAL reaches disk with the
   * next flush (at most ~3 × wal_writer_delay later, or with any later synchronous commit), so a
   * crash of Postgres itself may lose the records of that last moment. On, every mint waits for a
   * disk flush: see docs/decisions/2026-12-04-mint-audit.md for what each costs.
   */
  constructor(database: Database, options: { flushCommit?: boolean } = {}) {
    this.#database = database;
    this.#sql = recordSql(options.flushCommit ?? false);
    this.#group = new GroupCommit(async (records) => {
      await this.#append(records);
      return records.map(() => undefined);
    }, { maxInFlight: MAX_IN_FLIGHT });
  }

  /** Appends `record`; resolves once it is committed, rejects when it could not be. */
  record(record: ExchangeRecord): Promise<void> {
    return this.#group.submit(record);
  }

  async #append(records: readonly ExchangeRecord[]): Promise<void> {
    await this.#database.query(
      this.#sql,
      [
        records.map((record) => record.zoneId),
        records.map((record) => record.sessionId),
        records.map((record) => record.applicationId),
        records.map((record) => record.eventType),
        records.map((record) => JSON.stringify(record.details)),
        records.map((record) => new Date(record.at).toISOString()),
      ],
      { prepare: true },
    );
    this.#wakePublishers();
  }

  #wakePublishers(): void {
    if (this.#wakeScheduled) return;
    this.#wakeScheduled = true;
    setTimeout(() => {
      this.#wakeScheduled = false;
      this.#database.query(`SELECT pg_notify('${OUTBOX_CHANNEL}', '')`).catch(() => {
        // The database is closing or unreachable: the publishers' poll picks the records up.
      });
    }, RECORD_WAKE_INTERVAL_MS).unref();
  }
}

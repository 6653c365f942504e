import type { Database } from '../../db/database.ts';
import { wakeOutboxPublishers } from '../../coordinator/shared/outbox-wakeup-repository.ts';
import { timelineFactCtes } from '../../coordinator/timeline/timeline-facts-sql.ts';

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
 * travel as one array per column and are appended in array order.
 */
const RECORD_SQL = `WITH ${timelineFactCtes('recorded', {
  source: 'sts',
  facts: `SELECT zone_id, session_id, application_id, event_type, details, recorded_at, position
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::timestamptz[])
      WITH ORDINALITY AS input (zone_id, session_id, application_id, event_type, details, recorded_at, position)`,
  orderBy: 'fact.position',
}).join(',\n')}
SELECT count(*)::int AS recorded FROM recorded`;

interface PendingRecord {
  record: ExchangeRecord;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Records exchanges on the sessions' timelines with group commit: the records of the exchanges
 * that reach it in one turn of the event loop are appended by one autocommit statement, and each
 * exchange's promise settles when that statement has committed. An exchange answers only after
 * its record committed, so no mandate is ever handed out unrecorded, while N concurrent mints
 * share one round trip and one commit (docs/decisions/2026-12-04-mint-audit.md). Alone, a record
 * waits only for the end of the current turn (setImmediate).
 */
export class ExchangeAuditLog {
  readonly #database: Database;
  #pending: PendingRecord[] = [];

  constructor(database: Database) {
    this.#database = database;
  }

  /** Appends `record`; resolves once it is committed, rejects when it could not be. */
  record(record: ExchangeRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.#pending.push({ record, resolve, reject }) === 1) setImmediate(() => void this.#flush());
    });
  }

  async #flush(): Promise<void> {
    const batch = this.#pending;
    this.#pending = [];
    try {
      await this.#append(batch.map((pending) => pending.record));
      for (const pending of batch) pending.resolve();
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      // Whatever failed the shared statement must fail only the exchange that caused it.
      await Promise.all(
        batch.map((pending) => this.#append([pending.record]).then(pending.resolve, (cause: unknown) => pending.reject(cause))),
      );
    }
  }

  async #append(records: readonly ExchangeRecord[]): Promise<void> {
    await this.#database.query(
      RECORD_SQL,
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
    wakeOutboxPublishers(this.#database);
  }
}

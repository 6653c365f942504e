import type { Database } from '../../db/database.ts';
import { OUTBOX_CHANNEL } from '../../events/topics.ts';

const wakers = new WeakMap<Database, () => void>();

/**
 * Wakes the outbox publishers (every replica LISTENs) after a commit that wrote outbox rows.
 * The NOTIFY is sent after the commit rather than inside the state change on purpose: Postgres
 * serialises every committing transaction that notified on one database-wide lock held through
 * its WAL flush, which made all Coordinator writes queue behind each other. Here at most one
 * NOTIFY per process is in flight and wakes arriving meanwhile collapse into one more. The events
 * are durable either way: a lost wake only delays them to the publisher's next poll.
 */
export function wakeOutboxPublishers(database: Database): void {
  let wake = wakers.get(database);
  if (wake === undefined) {
    wake = coalescingWaker(database);
    wakers.set(database, wake);
  }
  wake();
}

function coalescingWaker(database: Database): () => void {
  let inFlight = false;
  let again = false;
  const send = (): void => {
    inFlight = true;
    again = false;
    database
      .query(`SELECT pg_notify('${OUTBOX_CHANNEL}', '')`)
      .catch(() => {
        // The database is closing or unreachable: the publisher's poll picks the rows up.
      })
      .finally(() => {
        inFlight = false;
        if (again) send();
      });
  };
  return () => {
    if (inFlight) again = true;
    else send();
  };
}

import type { Database } from '../../db/database.ts';
import { perDatabase } from '../../db/per-database.ts';
import { wakeLocalOutboxPublisher } from '../../events/outbox-local-wake.ts';
import { OUTBOX_CHANNEL } from '../../events/topics.ts';

/** At most one wake per this many milliseconds per process; a wake waits no longer than this. */
export const WAKE_INTERVAL_MS = 5;

const wakerOf = perDatabase<() => void>();

/**
 * Wakes the outbox publishers after a commit that wrote outbox rows. When this process runs a
 * publisher that can publish, it is woken in-process: one publisher publishing the rows is enough,
 * so no NOTIFY round trip and no wake of every replica (they still poll, and so take the rows over
 * should this process die first). Otherwise a NOTIFY wakes every replica's publisher (they LISTEN).
 * The NOTIFY is sent after the commit rather than inside the state change on purpose: Postgres
 * serialises every committing transaction that notified on one database-wide lock held through
 * its WAL flush, which made all Coordinator writes queue behind each other. Either way wakes
 * collapse into at most one per WAKE_INTERVAL_MS per process (each NOTIFY is itself a small
 * transaction with a flush; each wake may start a publisher batch). The events are durable either
 * way: a lost wake only delays them to a publisher's next poll.
 */
export function wakeOutboxPublishers(database: Database): void {
  wakerOf(database, () => coalescingWaker(database))();
}

function coalescingWaker(database: Database): () => void {
  let busy = false;
  let again = false;
  let lastSent = Number.NEGATIVE_INFINITY;
  const done = (): void => {
    busy = false;
    if (again) schedule();
  };
  const send = (): void => {
    again = false;
    lastSent = performance.now();
    if (wakeLocalOutboxPublisher(database)) {
      done();
      return;
    }
    database
      .query(`SELECT pg_notify('${OUTBOX_CHANNEL}', '')`)
      .catch(() => {
        // The database is closing or unreachable: the publisher's poll picks the rows up.
      })
      .finally(done);
  };
  const schedule = (): void => {
    busy = true;
    const wait = lastSent + WAKE_INTERVAL_MS - performance.now();
    if (wait <= 0) send();
    else setTimeout(send, wait).unref();
  };
  return () => {
    if (busy) again = true;
    else schedule();
  };
}

import type { Database } from '../../db/database.ts';
import { GroupCommit } from '../../db/group-commit.ts';
import { perDatabase } from '../../db/per-database.ts';
import { wakeOutboxPublishers } from '../shared/outbox-wakeup-repository.ts';
import { countedWakeupPayloads, runWakeupPayload, RUN_WAKEUP_CHANNEL } from './run-facts.ts';
import type { RunRow } from './run-row.ts';

/**
 * Tells the rest of the system about a run's committed change: the outbox publishers (its
 * timeline fact and feed rows wait there) and, when the run became pending or stopping, a runner
 * that may take it or the runner told to stop it (runWakeupPayload). Call it after the commit,
 * never inside the transaction: Postgres serialises every committing transaction that notified
 * on one database-wide lock held through its WAL flush, so a run's moves (create, claim, started,
 * completed) queued behind each other there. A NOTIFY on its own writes no WAL and commits
 * without a flush. A wake lost to a crash between the commit and this NOTIFY delays the run to
 * the next look of a waiting poll (at most the poll timeout), as one lost while the listening
 * connection is down does.
 */
export async function announceRun(database: Database, run: RunRow): Promise<void> {
  wakeOutboxPublishers(database);
  const payload = runWakeupPayload(run);
  if (payload === undefined) return;
  // The move is committed whatever happens here: a failed wake only costs the wait above.
  await runWakesOf(database).submit(payload).catch(() => undefined);
}

/**
 * The wakes of the moves committed at once go in one statement (group commit): one round trip
 * for many runs. Identical payloads are counted (countedWakeupPayloads).
 */
function notifyRunWakes(database: Database, payloads: readonly string[]): Promise<void[]> {
  return database
    .query(`SELECT pg_notify('${RUN_WAKEUP_CHANNEL}', payload) FROM unnest($1::text[]) AS payload`, [countedWakeupPayloads(payloads)], { prepare: true })
    .then(() => payloads.map(() => undefined));
}

const wakesOf = perDatabase<GroupCommit<string, void>>();

function runWakesOf(database: Database): GroupCommit<string, void> {
  return wakesOf(database, () => new GroupCommit((payloads) => notifyRunWakes(database, payloads), { maxInFlight: 1 }));
}

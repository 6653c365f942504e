import type { Database } from '../../db/database.ts';
import { retryingConcurrentChanges } from '../shared/concurrent-change.ts';
import { applyRunMove } from '../runs/run-moves.ts';
import type { RunRow } from '../runs/run-row.ts';
import type { RunnerRow } from './runner-row.ts';

/**
 * Claims the oldest pending run this runner may serve (runner-match.ts says which), or none. `FOR UPDATE SKIP LOCKED` makes the claim atomic across
 * replicas: two runners never get one run, and neither waits for the other.
 */
export async function claimRun(database: Database, runner: RunnerRow, now: () => number): Promise<RunRow | undefined> {
  return retryingConcurrentChanges(() =>
    database.transaction(async (transaction) => {
      const { rows } = await transaction.query<RunRow>(
        `SELECT * FROM runs
         WHERE zone_id = $1 AND status = 'pending'
           AND ($2::text IS NULL OR application_id = $2)
           AND ((cardinality($3::text[]) = 0 AND cardinality($4::text[]) = 0) OR agent_name = ANY ($3::text[]) OR blueprint_tags && $4::text[])
         ORDER BY pending_since, id LIMIT 1
         FOR UPDATE SKIP LOCKED`,
        [runner.zone_id, runner.serves_zone ? null : runner.application_id, runner.blueprints, runner.tags],
        { prepare: true },
      );
      const run = rows[0];
      if (run === undefined) return undefined;
      return applyRunMove(transaction, run, { to: 'claimed', runnerId: runner.id, reason: 'claimed' }, now());
    }),
  );
}

/** The runner's runs waiting for their stop order (`stopping`, not yet told), marked told. */
export async function takeStopOrders(database: Database, runnerId: string, now: number): Promise<Array<{ id: string; session_id: string }>> {
  const { rows } = await database.query<{ id: string; session_id: string }>(
    `UPDATE runs SET stop_signalled_at = $2::timestamptz
     WHERE runner_id = $1 AND status = 'stopping' AND stop_signalled_at IS NULL
     RETURNING id, session_id`,
    [runnerId, new Date(now).toISOString()],
    { prepare: true },
  );
  return rows.sort((a, b) => a.id.localeCompare(b.id));
}

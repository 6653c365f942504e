import type { Database } from '../../db/database.ts';
import { announceRun } from '../runs/run-announcement.ts';
import { moveParameters, moveStatement } from '../runs/run-moves.ts';
import type { RunRow } from '../runs/run-row.ts';
import { touchRunnerSql } from './runner-repository.ts';
import type { RunnerRow } from './runner-row.ts';

/**
 * Claims the oldest pending run this runner may serve (runner-match.ts says which), or none. `FOR UPDATE SKIP LOCKED` makes the claim atomic across
 * replicas: two runners never get one run, and neither waits for the other.
 */
export async function claimRun(database: Database, runner: RunnerRow, now: () => number): Promise<RunRow | undefined> {
  // One statement, committed on its own: the pick, the move to claimed and its fact (moveStatement).
  const pick = `picked AS (
      SELECT id FROM runs
      WHERE zone_id = $10 AND status = 'pending'
        AND ($11::text IS NULL OR application_id = $11)
        AND ((cardinality($12::text[]) = 0 AND cardinality($13::text[]) = 0) OR agent_name = ANY ($12::text[]) OR blueprint_tags && $13::text[])
      ORDER BY pending_since, id LIMIT 1
      FOR UPDATE SKIP LOCKED),`;
  const { rows } = await database.query<RunRow>(
    moveStatement('WHERE id = (SELECT id FROM picked) AND $1::text IS NULL', pick),
    [
      ...moveParameters(null, { to: 'claimed', runnerId: runner.id, reason: 'claimed' }, now()),
      runner.zone_id,
      runner.serves_zone ? null : runner.application_id,
      runner.blueprints,
      runner.tags,
    ],
    { prepare: true },
  );
  const claimed = rows[0];
  if (claimed !== undefined) await announceRun(database, claimed);
  return claimed;
}

/**
 * The runner's runs waiting for their stop order (`stopping`, not yet told), marked told. With
 * `touch`, the same statement records the poll as a sign of life (touchRunnerSql): one round trip
 * where a poll made two.
 */
export async function takeStopOrders(
  database: Database,
  runnerId: string,
  now: number,
  options: { touch: boolean },
): Promise<Array<{ id: string; session_id: string }>> {
  const take = `UPDATE runs SET stop_signalled_at = $2::timestamptz
     WHERE runner_id = $1 AND status = 'stopping' AND stop_signalled_at IS NULL
     RETURNING id, session_id`;
  const { rows } = await database.query<{ id: string; session_id: string }>(
    options.touch ? `WITH touched AS (${touchRunnerSql('$1', '$2')}) ${take}` : take,
    [runnerId, new Date(now).toISOString()],
    { prepare: true },
  );
  return rows.sort((a, b) => a.id.localeCompare(b.id));
}

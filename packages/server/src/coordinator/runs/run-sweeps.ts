import type { Database } from '../../db/database.ts';
import { moveRun } from './run-moves.ts';
import { releaseRuns } from './run-release.ts';
import type { RunSettings } from './run-settings.ts';

/** Runs touched per sweep, so one tick stays short; the next tick takes the rest. */
const SWEEP_BATCH = 500;

/**
 * The run sweeper (a periodic job): pending runs no runner claimed within the no-match timeout
 * fail, and so do their sessions; runners silent past the heartbeat timeout are marked lapsed and
 * lose their runs (claimed → pending, running → failed, stopping → stopped).
 */
export async function sweepRuns(database: Database, now: Date, settings: RunSettings): Promise<{ timedOut: number; released: number }> {
  const timedOut = await failUnclaimedRuns(database, now, settings);
  const released = await releaseLapsedRunners(database, now, settings);
  return { timedOut, released };
}

export async function failUnclaimedRuns(database: Database, now: Date, settings: RunSettings): Promise<number> {
  const cutoff = now.getTime() - settings.noMatchTimeoutSeconds * 1000;
  const { rows } = await database.query<{ id: string }>(
    `SELECT id FROM runs WHERE status = 'pending' AND pending_since < $1::timestamptz ORDER BY pending_since, id LIMIT ${SWEEP_BATCH}`,
    [new Date(cutoff).toISOString()],
  );
  let failed = 0;
  for (const { id } of rows) {
    const moved = await moveRun(database, id, () => now.getTime(), (run) =>
      run.status === 'pending' && run.pending_since !== null && new Date(run.pending_since).getTime() < cutoff
        ? {
            to: 'failed',
            mover: 'server',
            error: `no runner claimed the run within ${settings.noMatchTimeoutSeconds} s`,
            reason: 'no_runner',
          }
        : undefined,
    );
    if (moved !== undefined) failed += 1;
  }
  return failed;
}

export async function releaseLapsedRunners(database: Database, now: Date, settings: RunSettings): Promise<number> {
  const cutoff = new Date(now.getTime() - settings.heartbeatTimeoutSeconds * 1000).toISOString();
  await database.query(`UPDATE runners SET lapsed_at = $2::timestamptz WHERE lapsed_at IS NULL AND last_heartbeat_at < $1::timestamptz`, [
    cutoff,
    now.toISOString(),
  ]);
  const runIds = await runsOfSilentRunners(database, cutoff);
  return releaseRuns(database, runIds, { now: () => now.getTime(), reason: 'runner_heartbeat_lapsed', stillReleasable: () => true });
}

/**
 * Live runs whose runner is silent since `cutoff` or gone; with `untouchedSince`, only runs not
 * changed since then (recovery's `stale` mode).
 */
export async function runsOfSilentRunners(database: Database, cutoff: string, untouchedSince?: string): Promise<string[]> {
  const { rows } = await database.query<{ id: string }>(
    `SELECT r.id FROM runs r LEFT JOIN runners n ON n.id = r.runner_id
     WHERE r.status IN ('claimed', 'running', 'stopping')
       AND (n.id IS NULL OR n.last_heartbeat_at < $1::timestamptz)
       AND ($2::timestamptz IS NULL OR r.updated_at < $2::timestamptz)
     ORDER BY r.id LIMIT ${SWEEP_BATCH}`,
    [cutoff, untouchedSince ?? null],
  );
  return rows.map((row) => row.id);
}

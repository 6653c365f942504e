import type { Database } from '../../db/database.ts';
import { moveRun, type RunMove } from './run-moves.ts';
import type { RunRow } from './run-row.ts';

/**
 * What happens to a run whose runner is gone (its heartbeat lapsed, it was deregistered, or the
 * server restarted under it): a claimed run goes back to pending for another runner, a running
 * one fails (its work is lost; the runner, if alive after all, is told at its next heartbeat to
 * let go of it), a stopping one is stopped. Final and pending runs are left alone.
 */
export function releaseMove(run: RunRow, reason: string): RunMove | undefined {
  switch (run.status) {
    case 'claimed':
      return { to: 'pending', mover: 'server', reason };
    case 'running':
      return { to: 'failed', mover: 'server', error: `the run's runner was lost (${reason})`, reason, runnerLost: true };
    case 'stopping':
      return { to: 'stopped', mover: 'server', reason };
    default:
      return undefined;
  }
}

/**
 * Releases runs one transaction each, re-checking each under its lock: `stillReleasable` sees the
 * locked row, so a run its runner moved meanwhile (or a fresh claim) is left alone. Returns how
 * many moved.
 */
export async function releaseRuns(
  database: Database,
  runIds: readonly string[],
  options: { now: () => number; reason: string; stillReleasable: (run: RunRow) => boolean },
): Promise<number> {
  let released = 0;
  for (const runId of runIds) {
    const moved = await moveRun(database, runId, options.now, (run) => (options.stillReleasable(run) ? releaseMove(run, options.reason) : undefined));
    if (moved !== undefined) released += 1;
  }
  return released;
}

/** The live runs (claimed, running, stopping) held by the given runners. */
export async function liveRunsOf(database: Database, runnerIds: readonly string[]): Promise<string[]> {
  if (runnerIds.length === 0) return [];
  const { rows } = await database.query<{ id: string }>(
    `SELECT id FROM runs WHERE runner_id = ANY ($1::text[]) AND status IN ('claimed', 'running', 'stopping') ORDER BY id`,
    [runnerIds],
  );
  return rows.map((row) => row.id);
}

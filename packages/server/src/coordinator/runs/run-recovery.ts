import type { Database } from '../../db/database.ts';
import { releaseRuns } from './run-release.ts';
import type { RunSettings } from './run-settings.ts';
import { runsOfSilentRunners } from './run-sweeps.ts';

/**
 * Recovery at start (`RUN_RECOVERY_MODE`): runs left under way go on as the seed says — claimed →
 * pending, running → failed, stopping → stopped. `stale` takes only runs untouched for
 * `recoveryStaleSeconds`, `all` every one, `none` nothing. Safe with several replicas: a run whose
 * runner's heartbeat is fresh belongs to a live runner (of this replica or another) and is left
 * alone, whatever the mode. Returns how many runs moved.
 */
export async function recoverRuns(database: Database, settings: RunSettings, now: number): Promise<number> {
  if (settings.recoveryMode === 'none') return 0;
  const cutoff = new Date(now - settings.heartbeatTimeoutSeconds * 1000).toISOString();
  const untouchedSince = settings.recoveryMode === 'stale' ? new Date(now - settings.recoveryStaleSeconds * 1000).toISOString() : undefined;
  let total = 0;
  for (;;) {
    const runIds = await runsOfSilentRunners(database, cutoff, untouchedSince);
    if (runIds.length === 0) return total;
    const moved = await releaseRuns(database, runIds, { now: () => now, reason: `recovery_${settings.recoveryMode}`, stillReleasable: () => true });
    total += moved;
    if (moved === 0) return total;
  }
}

import type { Principal } from '../../auth/principal.ts';
import { notFound } from '../../http/server-error.ts';
import type { RunRow } from './run-row.ts';

/**
 * Whether a caller sees a run: runs of its zone, its own application's (an operator mandate: the
 * whole zone). A run it may not see does not exist for it: 404, never 403, so ids leak nothing.
 */
export function assertRunVisible(principal: Principal, run: RunRow | undefined, runId: string): RunRow {
  if (run === undefined || run.zone_id !== principal.zoneId || (!principal.admin && run.application_id !== principal.clientId)) {
    throw notFound(`run ${runId} not found in zone ${principal.zoneId}`);
  }
  return run;
}

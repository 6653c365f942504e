import { RUN_RESULT_MAX_BYTES, type RegisterRunnerBody, type RegisteredRunner } from '@caracal/protocol';
import type { Principal } from '../../auth/principal.ts';
import type { Transaction } from '../../db/database.ts';
import { badRequest, forbidden, notFound } from '../../http/server-error.ts';
import { newId } from '../../ids.ts';
import type { ServerContext } from '../../server-context.ts';
import { announceRun } from '../runs/run-announcement.ts';
import { moveLockedRun, type RunMove } from '../runs/run-moves.ts';
import { liveRunsOf, releaseRuns } from '../runs/run-release.ts';
import type { RunRow } from '../runs/run-row.ts';
import { runSettingsOf } from '../runs/run-settings.ts';
import { assertStorable } from '../shared/storable-json.ts';
import { moveHeldRun } from './held-run-move.ts';
import { deleteRunner, findRunner, lockRunWithRunner, upsertRunner } from './runner-repository.ts';
import type { RunnerRow } from './runner-row.ts';

/**
 * A runner the caller may act as: of its zone, registered by its application (an operator
 * mandate: any of the zone). Any other id does not exist for the caller (404).
 */
export async function requireRunner(context: ServerContext, principal: Principal, runnerId: string): Promise<RunnerRow> {
  return assertRunnerVisible(principal, await findRunner(context.database, runnerId), runnerId);
}

/** requireRunner's rule on a runner already read (undefined or null: none); a poll's look reads it in SQL (runner-look-sql.ts). */
export function assertRunnerVisible(principal: Principal, runner: RunnerRow | null | undefined, runnerId: string): RunnerRow {
  if (runner == null || runner.zone_id !== principal.zoneId || (!principal.admin && runner.application_id !== principal.clientId)) {
    throw notFound(`runner ${runnerId} not found in zone ${principal.zoneId}`);
  }
  return runner;
}

/** `POST /runner/register`. */
export async function registerRunner(context: ServerContext, principal: Principal, body: RegisterRunnerBody): Promise<RegisteredRunner> {
  assertStorable(body, 'body');
  const now = context.now();
  const runner = await upsertRunner(context.database, {
    id: newId('runner', now),
    zoneId: principal.zoneId,
    applicationId: principal.clientId,
    servesZone: principal.admin,
    body,
    now,
  });
  const settings = runSettingsOf(context);
  return {
    runner_id: runner.id,
    heartbeat_interval_seconds: Math.max(1, Math.floor(settings.heartbeatTimeoutSeconds / 3)),
    poll_timeout_seconds: settings.pollTimeoutSeconds,
  };
}

/**
 * `POST /runner/heartbeat`: the runner's sign of life, answered with the runs the server failed
 * while it took the runner for lost (its heartbeat lapsed, or a restart recovered them), each
 * once: a runner alive after all must stop executing them (docs/runs.md, "A runner taken for lost").
 */
export async function heartbeat(context: ServerContext, principal: Principal, runnerId: string): Promise<string[]> {
  const runner = await requireRunner(context, principal, runnerId);
  const { rows } = await context.database.query<{ id: string }>(
    `WITH beat AS (
       UPDATE runners SET last_heartbeat_at = greatest(last_heartbeat_at, $2::timestamptz), lapsed_at = NULL WHERE id = $1)
     UPDATE runs SET stop_signalled_at = $2::timestamptz
      WHERE runner_id = $1 AND runner_lost_at IS NOT NULL AND stop_signalled_at IS NULL
      RETURNING id`,
    [runner.id, new Date(context.now()).toISOString()],
  );
  return rows.map((row) => row.id).sort();
}

/** `DELETE /runners/{id}`: the runner is gone; its live runs are released as if its heartbeat had lapsed. */
export async function removeRunner(context: ServerContext, principal: Principal, runnerId: string): Promise<number> {
  const runner = await requireRunner(context, principal, runnerId);
  await deleteRunner(context.database, runner.id);
  return releaseRuns(context.database, await liveRunsOf(context.database, [runner.id]), {
    now: context.now,
    reason: 'runner_removed',
    stillReleasable: (run) => run.runner_id === runner.id,
  });
}

/**
 * `POST /runner/runs/{id}/started | completed | failed | stopped`: only the runner that claimed
 * the run moves it (another runner: 403 `not_run_owner`; a run of another zone: 404), and only
 * along the machine (409 `invalid_transition`).
 */
export async function reportRun(
  context: ServerContext,
  principal: Principal,
  report: { runId: string; runnerId: string; move: RunMove },
): Promise<RunRow> {
  if (report.move.result !== undefined) {
    assertStorable(report.move.result, 'result');
    if (Buffer.byteLength(JSON.stringify(report.move.result)) > RUN_RESULT_MAX_BYTES) {
      throw badRequest(`result must be at most ${RUN_RESULT_MAX_BYTES} bytes of JSON`);
    }
  }
  if (report.move.error !== undefined) assertStorable(report.move.error, 'error');
  // The hot moves first try one statement holding every check; a refusal (or a failed or stopped
  // report) takes the locked path below, which names it.
  const held = await moveHeldRun(context.database, principal, { ...report, now: context.now() });
  if (held !== undefined) {
    await announceRun(context.database, held);
    return held;
  }
  // The runner is read with the run's lock (one round trip); an unknown run still answers 404 for
  // an unknown runner first.
  const lock = async (transaction: Transaction, runId: string) => {
    const locked = await lockRunWithRunner(transaction, runId, report.runnerId);
    if (locked === undefined) assertRunnerVisible(principal, await findRunner(transaction, report.runnerId), report.runnerId);
    return locked;
  };
  const moved = await moveLockedRun(context.database, {
    runId: report.runId,
    now: context.now,
    lock,
    decide: (run) => {
      const runner = assertRunnerVisible(principal, run.runner, report.runnerId);
      if (run.zone_id !== runner.zone_id || (!runner.serves_zone && run.application_id !== runner.application_id)) {
        throw notFound(`run ${report.runId} not found in zone ${principal.zoneId}`);
      }
      if (run.runner_id !== runner.id) throw forbidden(`run ${run.id} is not held by runner ${runner.id}`, 'not_run_owner');
      return report.move;
    },
  });
  return moved!;
}

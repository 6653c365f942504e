import { TIMELINE_TOPIC, type RunState } from '@caracal/protocol';
import type { Transaction } from '../../db/database.ts';
import { enqueueEvents } from '../../events/enqueue-event.ts';
import { appendTimelineEvents } from '../timeline/timeline-repository.ts';
import type { RunRow } from './run-row.ts';

/**
 * The NOTIFY channel that wakes long-polling runners. Payloads: `work|<zone>|<application>|<agent
 * name>|<blueprint tags, comma-separated>` (a run became pending: one runner that may serve it is
 * woken per process) and `stop|<zone>|<runner>` (that runner has a stop order). Ids and names
 * never contain `|` and tags never contain `,`; a tag may contain `|`, so the tags come last.
 */
export const RUN_WAKEUP_CHANNEL = 'caracal_runs';

/** The timeline event of a run reaching each state (a run given back to pending: `run_requeued`). */
const EVENT_OF: Readonly<Record<RunState, string>> = {
  pending: 'run_requeued',
  claimed: 'run_claimed',
  running: 'run_started',
  completed: 'run_completed',
  failed: 'run_failed',
  stopping: 'run_stopping',
  stopped: 'run_stopped',
};

/**
 * Writes a run's move onto its session's timeline (source coordinator, `run_id` set), in the
 * move's transaction. A failure also goes to the seed feeds as `run_failed`. `eventType` overrides
 * the state's event (`run_created`).
 */
export async function recordRunFact(
  transaction: Transaction,
  run: RunRow,
  options: { now: number; eventType?: string; details?: Record<string, unknown> },
): Promise<void> {
  await appendTimelineEvents(
    transaction,
    [
      {
        zoneId: run.zone_id,
        sessionId: run.session_id,
        applicationId: run.application_id,
        runId: run.id,
        eventType: options.eventType ?? EVENT_OF[run.status],
        source: 'coordinator',
        details: { status: run.status, runner_id: run.runner_id, ...(run.error === null ? {} : { error: run.error }), ...options.details },
      },
    ],
    options.now,
  );
  if (run.status === 'failed') {
    await enqueueEvents(transaction, [
      {
        topic: TIMELINE_TOPIC,
        type: 'run_failed',
        zoneId: run.zone_id,
        payload: { run_id: run.id, session_id: run.session_id, error: run.error, zone_id: run.zone_id, application_id: run.application_id },
      },
    ]);
  }
}

/** Once the transaction commits, wakes a runner for a run that became pending, or the runner told to stop it. */
export async function wakeRunners(transaction: Transaction, run: RunRow): Promise<void> {
  const payload =
    run.status === 'pending' ? `work|${run.zone_id}|${run.application_id}|${run.agent_name ?? ''}|${run.blueprint_tags.join(',')}` : `stop|${run.zone_id}|${run.runner_id ?? ''}`;
  await transaction.query(`SELECT pg_notify('${RUN_WAKEUP_CHANNEL}', $1)`, [payload], { prepare: true });
}

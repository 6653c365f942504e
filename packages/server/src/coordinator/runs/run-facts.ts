import { TIMELINE_TOPIC, type RunState } from '@caracal/protocol';
import type { Transaction } from '../../db/database.ts';
import { enqueueEvents } from '../../events/enqueue-event.ts';
import type { RunRow } from './run-row.ts';

/**
 * The NOTIFY channel that wakes long-polling runners. Payloads: `work|<zone>|<application>|<agent
 * name>|<blueprint tags, comma-separated>` (a run became pending: one runner that may serve it is
 * woken per process), `work*<n>|…` (n such runs alike: n runners are woken) and
 * `stop|<zone>|<runner>` (that runner has a stop order). Ids and names never contain `|` and tags
 * never contain `,`; a tag may contain `|`, so the tags come last.
 */
export const RUN_WAKEUP_CHANNEL = 'caracal_runs';

/**
 * Payloads sent in one transaction, with identical ones counted: Postgres delivers identical
 * payloads of one transaction once, and each `work` wakes one runner, so n alike runs become one
 * `work*<n>` (a stop order needs no count: its runner is woken once however often it is told).
 */
export function countedWakeupPayloads(payloads: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const payload of payloads) counts.set(payload, (counts.get(payload) ?? 0) + 1);
  return [...counts].map(([payload, count]) => (count > 1 && payload.startsWith('work|') ? `work*${count}${payload.slice('work'.length)}` : payload));
}

/** The timeline event of a run reaching each state (a run given back to pending: `run_requeued`). */
export function runEventOf(state: RunState): string {
  return EVENT_OF[state];
}

const EVENT_OF: Readonly<Record<RunState, string>> = {
  pending: 'run_requeued',
  claimed: 'run_claimed',
  running: 'run_started',
  completed: 'run_completed',
  failed: 'run_failed',
  stopping: 'run_stopping',
  stopped: 'run_stopped',
};

/** A failed run also goes to the seed feeds as `run_failed` (the caller wakes the publishers after its commit). */
export async function recordRunFailure(transaction: Transaction, run: RunRow): Promise<void> {
  await enqueueEvents(transaction, [
    {
      topic: TIMELINE_TOPIC,
      type: 'run_failed',
      zoneId: run.zone_id,
      payload: { run_id: run.id, session_id: run.session_id, error: run.error, zone_id: run.zone_id, application_id: run.application_id },
    },
  ], { notify: false });
}

/**
 * The wake-up a run's state asks for (RUN_WAKEUP_CHANNEL): pending, work for a runner that may
 * serve it; stopping, a stop order for its runner. Other states wake no runner.
 */
export function runWakeupPayload(run: Pick<RunRow, 'status' | 'zone_id' | 'application_id' | 'agent_name' | 'blueprint_tags' | 'runner_id'>): string | undefined {
  if (run.status === 'pending') return `work|${run.zone_id}|${run.application_id}|${run.agent_name ?? ''}|${run.blueprint_tags.join(',')}`;
  if (run.status === 'stopping') return `stop|${run.zone_id}|${run.runner_id ?? ''}`;
  return undefined;
}

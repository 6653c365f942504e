import type { Run, RunState, RunType } from '@caracal/protocol';
import { isoOrNull, isoText } from '../shared/time.ts';

/** A `runs` row as the repository reads it. */
export interface RunRow {
  id: string;
  zone_id: string;
  application_id: string;
  session_id: string;
  type: RunType;
  agent_name: string | null;
  blueprint_tags: string[];
  parameters: Record<string, unknown>;
  project_dir: string | null;
  parent_session_id: string | null;
  execution_mode: string | null;
  status: RunState;
  runner_id: string | null;
  error: string | null;
  result: unknown;
  session_status: string | null;
  created_at: Date | string;
  pending_since: Date | string | null;
  claimed_at: Date | string | null;
  started_at: Date | string | null;
  completed_at: Date | string | null;
  stop_signalled_at: Date | string | null;
  /** Set when the server failed the run because it took its runner for lost (the runner is told at its next heartbeat). */
  runner_lost_at: Date | string | null;
  updated_at: Date | string;
}

/** A run as the wire shows it. */
export function runView(row: RunRow): Run {
  return {
    run_id: row.id,
    type: row.type,
    session_id: row.session_id,
    application_id: row.application_id,
    agent_name: row.agent_name,
    parameters: row.parameters,
    project_dir: row.project_dir,
    parent_session_id: row.parent_session_id,
    execution_mode: row.execution_mode,
    status: row.status,
    runner_id: row.runner_id,
    error: row.error,
    result: row.result ?? null,
    session_status: row.session_status,
    created_at: isoText(row.created_at),
    claimed_at: isoOrNull(row.claimed_at),
    started_at: isoOrNull(row.started_at),
    completed_at: isoOrNull(row.completed_at),
    updated_at: isoText(row.updated_at),
  };
}

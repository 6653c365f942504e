import type { Runner } from '@caracal/protocol';
import { isoText } from '../shared/time.ts';

/** A `runners` row. */
export interface RunnerRow {
  id: string;
  zone_id: string;
  application_id: string;
  serves_zone: boolean;
  hostname: string;
  project_dir: string;
  executor_profile: string;
  executor: { type: string; command?: string | null };
  tags: string[];
  blueprints: string[];
  registered_at: Date | string;
  last_heartbeat_at: Date | string;
  lapsed_at: Date | string | null;
}

export function runnerView(row: RunnerRow): Runner {
  return {
    runner_id: row.id,
    application_id: row.application_id,
    hostname: row.hostname,
    project_dir: row.project_dir,
    executor_profile: row.executor_profile,
    executor: { type: row.executor.type, command: row.executor.command ?? null },
    tags: row.tags,
    blueprints: row.blueprints,
    status: row.lapsed_at === null ? 'online' : 'lapsed',
    registered_at: isoText(row.registered_at),
    last_heartbeat_at: isoText(row.last_heartbeat_at),
  };
}

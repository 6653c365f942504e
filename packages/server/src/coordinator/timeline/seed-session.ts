import type { RunStatus, SeedSession, SessionStatus } from '@caracal/protocol';
import type { Queryable } from '../../db/database.ts';
import { isoOrNull, isoText } from '../shared/time.ts';

/** The columns of `agent_sessions` a seed session shows. */
export interface SeedSessionRow {
  id: string;
  zone_id: string;
  application_id: string;
  parent_id: string | null;
  status: SessionStatus;
  run_status: RunStatus;
  depth: number;
  spawned_at: Date | string;
  project_dir: string | null;
  agent_name: string | null;
  last_resumed_at: Date | string | null;
  executor_session_id: string | null;
  executor_profile: string | null;
  hostname: string | null;
}

export const SEED_SESSION_COLUMNS =
  'id, zone_id, application_id, parent_id, status, run_status, depth, spawned_at, project_dir, agent_name, ' +
  'last_resumed_at, executor_session_id, executor_profile, hostname';

/** A Caracal agent session in the seed project's shape: its run status, with its authority beside it. */
export function seedSessionView(row: SeedSessionRow): SeedSession {
  return {
    session_id: row.id,
    status: row.run_status,
    authority_status: row.status,
    application_id: row.application_id,
    depth: row.depth,
    created_at: isoText(row.spawned_at),
    project_dir: row.project_dir,
    agent_name: row.agent_name,
    last_resumed_at: isoOrNull(row.last_resumed_at),
    parent_session_id: row.parent_id,
    executor_session_id: row.executor_session_id,
    executor_profile: row.executor_profile,
    hostname: row.hostname,
  };
}

/** Reads seed sessions by id (inside a transaction: as that transaction sees them), in id order. */
export async function readSeedSessions(queryable: Queryable, ids: readonly string[]): Promise<SeedSessionRow[]> {
  if (ids.length === 0) return [];
  const { rows } = await queryable.query<SeedSessionRow>(
    `SELECT ${SEED_SESSION_COLUMNS} FROM agent_sessions WHERE id = ANY($1::text[]) ORDER BY id`,
    [ids],
  );
  return rows;
}

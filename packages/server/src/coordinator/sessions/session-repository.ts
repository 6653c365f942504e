import type { SessionStatus } from '@caracal/protocol';
import type { Queryable } from '../../db/database.ts';
import type { PageRequest } from '../../http/pagination.ts';
import { SqlParameters } from '../shared/sql-parameters.ts';
import type { SessionRow } from './session-row.ts';

export const SESSION_COLUMNS = `id, zone_id, application_id, parent_id, root_id, status, depth, kind, capabilities, labels,
  metadata, scopes, resource_id, constraints, delegation_edge_id, session_sid, live_children, spawned_at, expires_at,
  suspended_at, terminated_at, termination_reason`;

export async function findSession(database: Queryable, id: string): Promise<SessionRow | undefined> {
  const result = await database.query<SessionRow>(`SELECT ${SESSION_COLUMNS} FROM agent_sessions WHERE id = $1`, [id], { prepare: true });
  return result.rows[0];
}

export interface SessionFilters {
  zoneId: string;
  status?: SessionStatus;
  applicationId?: string;
  parentId?: string;
}

/** One page of a zone's sessions in id (creation) order, fetching one row extra to tell if more follow. */
export async function listSessions(database: Queryable, filters: SessionFilters, page: PageRequest): Promise<SessionRow[]> {
  const parameters = new SqlParameters();
  const conditions = [`zone_id = ${parameters.add(filters.zoneId)}`];
  if (filters.status !== undefined) conditions.push(`status = ${parameters.add(filters.status)}`);
  if (filters.applicationId !== undefined) conditions.push(`application_id = ${parameters.add(filters.applicationId)}`);
  if (filters.parentId !== undefined) conditions.push(`parent_id = ${parameters.add(filters.parentId)}`);
  if (page.afterKey !== undefined) conditions.push(`id > ${parameters.add(page.afterKey)}`);
  const result = await database.query<SessionRow>(
    `SELECT ${SESSION_COLUMNS} FROM agent_sessions WHERE ${conditions.join(' AND ')} ORDER BY id LIMIT ${parameters.add(page.limit + 1)}`,
    parameters.values,
  );
  return result.rows;
}

import type { SessionStatus } from '@caracal/protocol';
import type { Queryable } from '../../db/database.ts';
import type { PageRequest } from '../../http/pagination.ts';
import { findById, listPage, type TableShape } from '../shared/table-reads.ts';
import type { SessionRow } from './session-row.ts';

const SESSIONS: TableShape = {
  table: 'agent_sessions',
  columns: `id, zone_id, application_id, parent_id, root_id, status, depth, kind, capabilities, labels,
  metadata, scopes, resource_id, constraints, delegation_edge_id, session_sid, live_children, spawned_at, expires_at,
  suspended_at, terminated_at, termination_reason`,
};

export function findSession(database: Queryable, id: string): Promise<SessionRow | undefined> {
  return findById(database, SESSIONS, id, { prepare: true });
}

export interface SessionFilters {
  zoneId: string;
  status?: SessionStatus;
  applicationId?: string;
  parentId?: string;
}

/** One page of a zone's sessions in id (creation) order. */
export function listSessions(database: Queryable, filters: SessionFilters, page: PageRequest): Promise<SessionRow[]> {
  const equal = { zone_id: filters.zoneId, status: filters.status, application_id: filters.applicationId, parent_id: filters.parentId };
  return listPage(database, SESSIONS, equal, page);
}

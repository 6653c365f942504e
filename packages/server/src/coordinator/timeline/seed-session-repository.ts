import type { RunStatus } from '@caracal/protocol';
import type { Queryable } from '../../db/database.ts';
import type { PageRequest } from '../../http/pagination.ts';
import { SqlParameters } from '../shared/sql-parameters.ts';
import { SEED_SESSION_COLUMNS, type SeedSessionRow } from './seed-session.ts';

/** A seed session row with what visibility needs: whether `DELETE /sessions/{id}` removed it. */
export interface SeedSessionRecord extends SeedSessionRow {
  seed_deleted_at: Date | string | null;
}

const COLUMNS = `${SEED_SESSION_COLUMNS}, seed_deleted_at`;

/**
 * How a read inside a transaction holds the session's row until it ends: `update` for a change of
 * the session (its run status, its metadata, a delete); `key share` for an append to its
 * timeline, which must not interleave with a delete but need not wait for other appends.
 */
export type SeedSessionLock = 'update' | 'key share';

/** Reads one session by id, optionally locking its row (see SeedSessionLock). */
export async function findSeedSession(queryable: Queryable, id: string, options: { lock?: SeedSessionLock } = {}): Promise<SeedSessionRecord | undefined> {
  const { rows } = await queryable.query<SeedSessionRecord>(
    `SELECT ${COLUMNS} FROM agent_sessions WHERE id = $1${options.lock === undefined ? '' : ` FOR ${options.lock.toUpperCase()}`}`,
    [id],
    { prepare: true },
  );
  return rows[0];
}

export interface SeedSessionFilters {
  zoneId: string;
  /** Only this application's sessions; undefined: every application's (operators). */
  applicationId: string | undefined;
  runStatus: RunStatus | undefined;
}

/** One page of a zone's seed sessions, newest first (ids are time-ordered), one row extra (toPage). */
export async function listSeedSessions(queryable: Queryable, filters: SeedSessionFilters, page: PageRequest): Promise<SeedSessionRecord[]> {
  const p = new SqlParameters();
  const conditions = [`zone_id = ${p.add(filters.zoneId)}`, 'seed_deleted_at IS NULL'];
  if (filters.applicationId !== undefined) conditions.push(`application_id = ${p.add(filters.applicationId)}`);
  if (filters.runStatus !== undefined) conditions.push(`run_status = ${p.add(filters.runStatus)}`);
  if (page.afterKey !== undefined) conditions.push(`id < ${p.add(page.afterKey)}`);
  const { rows } = await queryable.query<SeedSessionRecord>(
    `SELECT ${COLUMNS} FROM agent_sessions WHERE ${conditions.join(' AND ')} ORDER BY id DESC LIMIT ${p.add(page.limit + 1)}`,
    p.values,
  );
  return rows;
}

/** The seed fields `PATCH /sessions/{id}/metadata` may set (null clears one). */
export const METADATA_COLUMNS = ['project_dir', 'agent_name', 'last_resumed_at', 'executor_session_id', 'executor_profile', 'hostname'] as const;
export type MetadataColumn = (typeof METADATA_COLUMNS)[number];

/** Sets the given seed fields of a session (columns named in code, values as parameters). */
export async function updateSeedMetadata(
  queryable: Queryable,
  id: string,
  fields: Partial<Record<MetadataColumn, string | null>>,
): Promise<void> {
  const p = new SqlParameters();
  const sets = METADATA_COLUMNS.filter((column) => fields[column] !== undefined).map(
    (column) => `${column} = ${p.add(fields[column], column === 'last_resumed_at' ? '::timestamptz' : '::text')}`,
  );
  if (sets.length === 0) return;
  await queryable.query(`UPDATE agent_sessions SET ${sets.join(', ')} WHERE id = ${p.add(id)}`, p.values);
}

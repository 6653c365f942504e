import type { RunState } from '@caracal/protocol';
import type { Queryable, Transaction } from '../../db/database.ts';
import type { PageRequest } from '../../http/pagination.ts';
import { conflict } from '../../http/server-error.ts';
import { SqlParameters } from '../shared/sql-parameters.ts';
import { runCreationCtes, type RunFields } from './run-creation-sql.ts';
import type { RunRow } from './run-row.ts';
import { ACTIVE_RUN_STATES } from './run-transitions.ts';

/** A new run of an existing session, always `pending`. */
export interface NewRun extends RunFields {
  sessionId: string;
  now: number;
}

/**
 * Inserts a run of an existing session with its `run_created` fact and the fact's outbox row, in
 * one statement (runCreationCtes). A new session's run is written by its spawn instead.
 */
export async function insertRun(queryable: Queryable, run: NewRun): Promise<RunRow> {
  const p = new SqlParameters();
  const source = { sessionId: p.add(run.sessionId, '::text'), at: p.add(new Date(run.now).toISOString(), '::timestamptz') };
  const { rows } = await queryable.query<RunRow>(
    `WITH ${runCreationCtes(p, 'inserted', run, source).join(',\n')}
     SELECT * FROM inserted`,
    p.values,
    { prepare: true },
  );
  return rows[0]!;
}

export async function findRun(queryable: Queryable, id: string): Promise<RunRow | undefined> {
  const { rows } = await queryable.query<RunRow>('SELECT * FROM runs WHERE id = $1', [id], { prepare: true });
  return rows[0];
}

/** The session's run still under way (at most one), newest first should there ever be more. */
export async function findActiveRun(queryable: Queryable, sessionId: string): Promise<RunRow | undefined> {
  const { rows } = await queryable.query<RunRow>(
    'SELECT * FROM runs WHERE session_id = $1 AND status = ANY ($2::text[]) ORDER BY id DESC LIMIT 1',
    [sessionId, ACTIVE_RUN_STATES],
    { prepare: true },
  );
  return rows[0];
}

export interface RunFilters {
  zoneId: string;
  /** Only this application's runs (undefined: every application of the zone). */
  applicationId: string | undefined;
  status?: RunState | undefined;
  sessionId?: string | undefined;
  agentName?: string | undefined;
  runnerId?: string | undefined;
}

/** A page of runs, newest first (`limit + 1` rows: see toPage). */
export async function listRuns(queryable: Queryable, filters: RunFilters, page: PageRequest): Promise<RunRow[]> {
  const p = new SqlParameters();
  const where = [`zone_id = ${p.add(filters.zoneId)}`];
  const optional: Array<[string, unknown]> = [
    ['application_id', filters.applicationId],
    ['status', filters.status],
    ['session_id', filters.sessionId],
    ['agent_name', filters.agentName],
    ['runner_id', filters.runnerId],
  ];
  for (const [column, value] of optional) if (value !== undefined) where.push(`${column} = ${p.add(value)}`);
  if (page.afterKey !== undefined) where.push(`id < ${p.add(page.afterKey)}`);
  const { rows } = await queryable.query<RunRow>(
    `SELECT * FROM runs WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ${p.add(page.limit + 1, '::int')}`,
    p.values,
  );
  return rows;
}

/**
 * Removes the runs of sessions being deleted (`DELETE /sessions/{id}`), refusing with 409
 * `session_active` while a runner holds one (claimed, running or stopping: stop it first). The
 * runs are locked first, so a claim racing the delete skips them rather than claiming a run that
 * is about to vanish. A pending run goes with its session: nobody was working on it.
 */
export async function deleteSessionRuns(transaction: Transaction, sessionIds: readonly string[]): Promise<number> {
  const { rows } = await transaction.query<{ id: string; session_id: string; status: RunState }>(
    'SELECT id, session_id, status FROM runs WHERE session_id = ANY ($1::text[]) ORDER BY id FOR UPDATE',
    [sessionIds],
  );
  const held = rows.find((run) => run.status === 'claimed' || run.status === 'running' || run.status === 'stopping');
  if (held !== undefined) {
    throw conflict(`session ${held.session_id} has run ${held.id} held by a runner (${held.status}); stop it first`, 'session_active');
  }
  if (rows.length > 0) await transaction.query('DELETE FROM runs WHERE id = ANY ($1::text[])', [rows.map((run) => run.id)]);
  return rows.length;
}

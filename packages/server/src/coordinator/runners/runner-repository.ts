import type { RegisterRunnerBody } from '@caracal/protocol';
import type { Queryable, Transaction } from '../../db/database.ts';
import type { RunRow } from '../runs/run-row.ts';
import type { RunnerRow } from './runner-row.ts';

export interface RunnerRegistration {
  id: string;
  zoneId: string;
  applicationId: string;
  servesZone: boolean;
  body: RegisterRunnerBody;
  now: number;
}

/**
 * Registers a runner, or refreshes the one registered before with the same host, project dir and
 * profile (its id is kept, so a runner that re-registers after a restart still owns its runs).
 */
export async function upsertRunner(queryable: Queryable, registration: RunnerRegistration): Promise<RunnerRow> {
  const { body } = registration;
  const { rows } = await queryable.query<RunnerRow>(
    `INSERT INTO runners (id, zone_id, application_id, serves_zone, hostname, project_dir, executor_profile, executor, tags, blueprints,
       registered_at, last_heartbeat_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::text[], $10::text[], $11::timestamptz, $11::timestamptz)
     ON CONFLICT (zone_id, application_id, hostname, project_dir, executor_profile) DO UPDATE SET
       serves_zone = EXCLUDED.serves_zone, executor = EXCLUDED.executor, tags = EXCLUDED.tags, blueprints = EXCLUDED.blueprints,
       last_heartbeat_at = EXCLUDED.last_heartbeat_at, lapsed_at = NULL
     RETURNING *`,
    [
      registration.id,
      registration.zoneId,
      registration.applicationId,
      registration.servesZone,
      body.hostname,
      body.project_dir,
      body.executor_profile,
      JSON.stringify({ type: body.executor.type, command: body.executor.command ?? null }),
      body.tags ?? [],
      body.blueprints ?? [],
      new Date(registration.now).toISOString(),
    ],
  );
  return rows[0]!;
}

export async function findRunner(queryable: Queryable, id: string): Promise<RunnerRow | undefined> {
  const { rows } = await queryable.query<RunnerRow>('SELECT * FROM runners WHERE id = $1', [id], { prepare: true });
  return rows[0];
}

/**
 * Reads and locks a run for a runner's report, with the runner named in it (null when there is no
 * such runner) read in the same statement. Undefined when there is no such run.
 */
export async function lockRunWithRunner(transaction: Transaction, runId: string, runnerId: string): Promise<(RunRow & { runner: RunnerRow | null }) | undefined> {
  const { rows } = await transaction.query<RunRow & { runner: RunnerRow | null }>(
    `SELECT r.*, (SELECT to_jsonb(n) FROM runners n WHERE n.id = $2) AS runner FROM runs r WHERE r.id = $1 FOR UPDATE OF r`,
    [runId, runnerId],
    { prepare: true },
  );
  return rows[0];
}

/**
 * The statement that records a sign of life of runner `$id` at `$now` (a heartbeat or a poll): a
 * lapsed runner is online again (its old runs stay taken back). A runner polling many times a
 * second writes its row about once a second. Parameter slots given as SQL, for use inside a larger
 * statement.
 */
export function touchRunnerSql(id: string, now: string): string {
  return `UPDATE runners SET last_heartbeat_at = greatest(last_heartbeat_at, ${now}::timestamptz), lapsed_at = NULL
     WHERE id = ${id} AND (lapsed_at IS NOT NULL OR last_heartbeat_at < ${now}::timestamptz - interval '1 second')`;
}

/** The zone's runners (one application's, or all), oldest registration first. */
export async function listRunners(queryable: Queryable, zoneId: string, applicationId: string | undefined): Promise<RunnerRow[]> {
  const { rows } = await queryable.query<RunnerRow>(
    'SELECT * FROM runners WHERE zone_id = $1 AND ($2::text IS NULL OR application_id = $2) ORDER BY registered_at, id',
    [zoneId, applicationId ?? null],
  );
  return rows;
}

export async function deleteRunner(queryable: Queryable, id: string): Promise<void> {
  await queryable.query('DELETE FROM runners WHERE id = $1', [id]);
}

/** Runners whose last sign of life is older than `before` and that are not yet marked lapsed; marks them. */
export async function markLapsedRunners(queryable: Queryable, before: number, now: number): Promise<string[]> {
  const { rows } = await queryable.query<{ id: string }>(
    `UPDATE runners SET lapsed_at = $2::timestamptz
     WHERE lapsed_at IS NULL AND last_heartbeat_at < $1::timestamptz RETURNING id`,
    [new Date(before).toISOString(), new Date(now).toISOString()],
  );
  return rows.map((row) => row.id);
}

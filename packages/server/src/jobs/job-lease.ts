import type { Queryable } from '../db/database.ts';

/**
 * Takes the lease of `job` until `now + leaseMs` when nobody holds it (or theirs ran out).
 * The upsert's WHERE is re-checked under the row lock, so of several replicas racing for one
 * tick exactly one wins. Works the same on PGlite and Postgres and with an injected clock.
 */
export async function tryAcquireJobLease(
  database: Queryable,
  options: { job: string; owner: string; now: Date; leaseMs: number },
): Promise<boolean> {
  const result = await database.query<{ job: string }>(
    `INSERT INTO caracal_job_leases (job, owner, lease_until, last_run_at)
     VALUES ($1, $2, $3::timestamptz, $4::timestamptz)
     ON CONFLICT (job) DO UPDATE
        SET owner = EXCLUDED.owner, lease_until = EXCLUDED.lease_until, last_run_at = EXCLUDED.last_run_at
      WHERE caracal_job_leases.lease_until <= EXCLUDED.last_run_at
     RETURNING job`,
    [options.job, options.owner, new Date(options.now.getTime() + options.leaseMs).toISOString(), options.now.toISOString()],
  );
  return result.rows.length === 1;
}

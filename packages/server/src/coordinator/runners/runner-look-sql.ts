/*
 * The parts of a poll's one-statement look (runner-claim.ts lookForWork), as CTEs around the
 * claim's move (moveStatement). Parameter slots are given as SQL.
 */

/**
 * CTE `polling_runner`: runner `id` as the caller may see it (of zone `zone`; of application
 * `application` unless that is NULL), or no row. Every other part hangs on it, so a poll for a
 * runner the caller may not see changes nothing.
 */
export function pollingRunnerSql(id: string, zone: string, application: string): string {
  return `polling_runner AS (
      SELECT * FROM runners WHERE id = ${id} AND zone_id = ${zone} AND (${application}::text IS NULL OR application_id = ${application}))`;
}

/** CTE `stops`: the runner's runs waiting for their stop order (`stopping`, not yet told), marked told at `now`. */
export function stopOrdersSql(now: string): string {
  return `stops AS (
      UPDATE runs SET stop_signalled_at = ${now}::timestamptz
      WHERE runner_id = (SELECT id FROM polling_runner) AND status = 'stopping' AND stop_signalled_at IS NULL
      RETURNING id, session_id)`;
}

/**
 * CTE `picked`: the oldest pending run of zone `zone` the runner may serve (runner-match.ts says
 * which), locked, or none; none either when the look took stop orders (they come first). The
 * runner's fields are read by uncorrelated subqueries, evaluated once, so the pick still walks
 * the `runs_pending` index in order and stops at the first match (the cast keeps `ANY` reading
 * the array, not the subquery's rows).
 */
export function claimPickSql(zone: string): string {
  const runner = (field: string): string => `(SELECT ${field} FROM polling_runner)`;
  return `picked AS (
      SELECT id FROM runs
      WHERE zone_id = ${zone} AND status = 'pending' AND EXISTS (SELECT FROM polling_runner) AND NOT EXISTS (SELECT FROM stops)
        AND (${runner('serves_zone')} OR application_id = ${runner('application_id')})
        AND ((cardinality(${runner('blueprints')}) = 0 AND cardinality(${runner('tags')}) = 0)
          OR agent_name = ANY (${runner('blueprints')}::text[]) OR blueprint_tags && ${runner('tags')})
      ORDER BY pending_since, id LIMIT 1
      FOR UPDATE SKIP LOCKED)`;
}

/** What a look answers, in one row: the runner (null: not visible), its stop orders (null: none) and the claimed run (null: none). */
export function lookAnswerSql(): string {
  return `SELECT (SELECT to_jsonb(n) FROM polling_runner n) AS runner,
      (SELECT jsonb_agg(jsonb_build_object('id', s.id, 'session_id', s.session_id)) FROM stops s) AS stops,
      (SELECT to_jsonb(m) FROM moved m) AS claimed`;
}

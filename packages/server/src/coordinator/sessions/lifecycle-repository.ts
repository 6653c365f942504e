import type { Queryable } from '../../db/database.ts';
import { Topics } from '../../events/topics.ts';
import { CONCURRENT_CHANGE } from '../shared/concurrent-change.ts';
import { refusing } from '../shared/database-errors.ts';
import { SqlParameters } from '../shared/sql-parameters.ts';
import { sessionChangeCte, withSeedSessionColumns } from '../timeline/seed-session-sql.ts';
import { timelineFactCtes } from '../../events/timeline-facts-sql.ts';
import { impactIds } from './impact-ids.ts';
import { terminationCtes } from './termination-sql.ts';

/** Who asks for a subtree change: non-admins only change their own application's sessions. */
export interface SubtreeChange {
  sessionId: string;
  zoneId: string;
  callerApplicationId: string;
  admin: boolean;
  now: number;
}

/**
 * A CTE `target` yielding the session's id (and parent) once it is known to exist in the zone and
 * to belong to the caller, refusing with 404/403 otherwise; `extraChecks` are more CASE arms.
 */
function targetCte(p: SqlParameters, change: SubtreeChange, extraChecks = ''): string {
  const id = p.add(change.sessionId, '::text');
  const zone = p.add(change.zoneId, '::text');
  return `target AS (
    SELECT s.id, s.parent_id
    FROM (SELECT ${id} AS wanted) AS request
    LEFT JOIN agent_sessions s ON s.id = request.wanted
    WHERE CASE
      WHEN s.id IS NULL OR s.zone_id <> ${zone}
        THEN coordinator_refuse(404, 'not_found', 'agent session ' || ${id} || ' not found in zone ' || ${zone})
      WHEN NOT ${p.add(change.admin, '::boolean')} AND s.application_id <> ${p.add(change.callerApplicationId, '::text')}
        THEN coordinator_refuse(403, 'forbidden', 'agent session ' || ${id} || ' belongs to another application')
      ${extraChecks}
      ELSE true END)`;
}

/** Who asked, as the timelines record it (jsonb `{ application_id, admin }`). */
function requestedBy(p: SqlParameters, change: SubtreeChange): string {
  return p.json({ application_id: change.callerApplicationId, admin: change.admin });
}

export interface TerminationCounts {
  terminatedSessions: number;
  revokedEdges: number;
  /** The first ids (IMPACT_IDS of them at most) of what the statement changed, in id order. */
  sessionIds: string[];
  edgeIds: string[];
}

async function runTermination(database: Queryable, p: SqlParameters, ctes: string[]): Promise<TerminationCounts> {
  const result = await refusing(
    database.query<{ terminated_sessions: number; revoked_edges: number; session_ids: string[]; edge_ids: string[] }>(
      `WITH RECURSIVE ${ctes.join(',\n')}
       SELECT (SELECT count(*) FROM terminated)::int AS terminated_sessions, (SELECT count(*) FROM revoked)::int AS revoked_edges,
         ${impactIds('terminated')} AS session_ids, ${impactIds('revoked')} AS edge_ids`,
      p.values,
      { prepare: true },
    ),
  );
  const row = result.rows[0]!;
  return { terminatedSessions: row.terminated_sessions, revokedEdges: row.revoked_edges, sessionIds: row.session_ids, edgeIds: row.edge_ids };
}

/**
 * Terminates a session and its subtree in one statement (see terminationCtes). A session already
 * terminated yields zero counts. May refuse with `concurrent_change`: retry.
 */
export async function terminateSession(database: Queryable, change: SubtreeChange & { reason: string }): Promise<TerminationCounts> {
  const p = new SqlParameters();
  const target = targetCte(p, change);
  const ctes = terminationCtes({
    roots: 'SELECT id FROM target',
    now: p.add(new Date(change.now).toISOString(), '::timestamptz'),
    reason: p.add(change.reason, '::text'),
    requestedBy: requestedBy(p, change),
  });
  return runTermination(database, p, [target, ...ctes]);
}

/** Ends the subtrees of `roots` (the TTL sweeper's batch); may refuse with `concurrent_change`. */
export async function terminateSubtrees(
  database: Queryable,
  termination: { roots: readonly string[]; now: number; reason: string },
): Promise<TerminationCounts> {
  const p = new SqlParameters();
  const ctes = terminationCtes({
    roots: `SELECT unnest(${p.add(termination.roots, '::text[]')})`,
    now: p.add(new Date(termination.now).toISOString(), '::timestamptz'),
    reason: p.add(termination.reason, '::text'),
  });
  return runTermination(database, p, ctes);
}

/** How many sessions a status change moved, and the first ids of them. */
export interface StatusChangeCounts {
  changed: number;
  sessionIds: string[];
}

/** Suspends every active session of the subtree; refused for a terminated session. */
export async function suspendSubtree(database: Queryable, change: SubtreeChange): Promise<StatusChangeCounts> {
  return changeSubtreeStatus(database, change, { from: 'active', to: 'suspended', event: 'session_suspended' });
}

/**
 * Resumes every suspended session of the subtree. Refused while the parent is not active:
 * suspension holds for whole subtrees.
 */
export async function resumeSubtree(database: Queryable, change: SubtreeChange): Promise<StatusChangeCounts> {
  return changeSubtreeStatus(database, change, { from: 'suspended', to: 'active', event: 'session_resumed' });
}

/**
 * One statement, with the same optimistic check as terminations: the subtree (and the parent)
 * are locked in id order and the change refuses with `concurrent_change` when something was
 * attached to the subtree after the snapshot, so no new child keeps the old status.
 */
async function changeSubtreeStatus(
  database: Queryable,
  change: SubtreeChange,
  move: { from: string; to: string; event: string },
): Promise<StatusChangeCounts> {
  const p = new SqlParameters();
  const resuming = move.to === 'active';
  const notActive = `coordinator_refuse(409, 'session_not_active', 'agent session ' || s.id || ' is terminated')`;
  const target = targetCte(p, change, `WHEN s.status = 'terminated' THEN ${notActive}`);
  const now = p.add(new Date(change.now).toISOString(), '::timestamptz');
  const parentCheck = resuming
    ? `WHEN (SELECT status FROM locked WHERE id = (SELECT parent_id FROM target)) <> 'active'
         THEN coordinator_refuse(409, 'session_not_active', 'the parent session is not active; resume it first')`
    : '';
  const result = await refusing(
    database.query<{ changed: number; session_ids: string[] }>(
      `WITH RECURSIVE ${target},
       subtree (id, revision) AS (
         SELECT s.id, s.revision FROM agent_sessions s WHERE s.id = ANY (ARRAY(SELECT id FROM target))
         UNION
         SELECT child.id, child.revision FROM subtree CROSS JOIN LATERAL (
           SELECT c.id, c.revision FROM agent_sessions c WHERE c.parent_id = subtree.id AND c.status <> 'terminated') AS child),
       locked AS (
         SELECT s.id, s.revision, s.status FROM agent_sessions s
         WHERE s.id = ANY (ARRAY(SELECT id FROM subtree UNION SELECT parent_id FROM target WHERE parent_id IS NOT NULL))
         ORDER BY s.id FOR UPDATE),
       unchanged AS (
         SELECT CASE
           WHEN EXISTS (SELECT 1 FROM locked JOIN subtree ON subtree.id = locked.id
                        WHERE locked.status <> 'terminated' AND locked.revision <> subtree.revision)
             THEN coordinator_refuse(409, '${CONCURRENT_CHANGE}', 'the subtree changed during the change; retry')
           ${parentCheck}
           ELSE true END AS ok),
       changed AS (
         UPDATE agent_sessions s SET status = ${p.add(move.to, '::text')},
           suspended_at = ${resuming ? 'NULL' : now}
         WHERE s.id = ANY (ARRAY(SELECT locked.id FROM locked JOIN subtree ON subtree.id = locked.id
                                 WHERE locked.status = ${p.add(move.from, '::text')}))
           AND (SELECT ok FROM unchanged)
         RETURNING ${withSeedSessionColumns(['id', 'zone_id', 'application_id'], 's')}),
       events AS (
         INSERT INTO caracal_outbox (topic, event_type, zone_id, payload)
         SELECT '${Topics.agentsLifecycle}', ${p.add(move.event, '::text')}, zone_id,
           jsonb_build_object('agent_session_id', id, 'application_id', application_id, 'at', ${now})
         FROM changed RETURNING id),
       ${timelineFactCtes('status_facts', {
         source: 'coordinator',
         facts: `SELECT zone_id, id AS session_id, application_id, ${p.add(move.event, '::text')} AS event_type,
           jsonb_build_object('subtree_root_id', ${p.add(change.sessionId, '::text')}, 'requested_by', ${requestedBy(p, change)}) AS details,
           ${now} AS recorded_at, depth, id FROM changed`,
         orderBy: 'fact.depth, fact.id',
       }).join(',\n')},
       ${sessionChangeCte('status_changes', 'session_updated', 'SELECT * FROM changed')}
       SELECT (SELECT count(*) FROM changed)::int AS changed, ${impactIds('changed')} AS session_ids`,
      p.values,
      { prepare: true },
    ),
  );
  const row = result.rows[0]!;
  return { changed: row.changed, sessionIds: row.session_ids };
}

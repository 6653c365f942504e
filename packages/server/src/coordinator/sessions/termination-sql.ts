import { Topics } from '../../events/topics.ts';
import { CONCURRENT_CHANGE } from '../shared/concurrent-change.ts';
import { sessionChangeRows, withSeedSessionColumns } from '../timeline/seed-session-sql.ts';
import { timelineFacts } from '../../events/timeline-facts-sql.ts';
import { outboxInsertCte, outboxRows, type OutboxRows } from '../../events/outbox-rows-sql.ts';
import { RUN_WAKEUP_CHANNEL } from '../runs/run-facts.ts';

/** Placeholders and row sources a termination is assembled from. */
export interface TerminationParts {
  /** SQL yielding one `id` column: the sessions whose subtrees end. */
  roots: string;
  /** Placeholder of the termination time (timestamptz). */
  now: string;
  /** Placeholder of the reason recorded and published (text). */
  reason: string;
  /** SQL yielding `id` of further edges to revoke (a revocation's downstream edges). */
  alsoRevoke?: string;
  /** Placeholder of who asked (jsonb `{ application_id, admin }`), recorded on the timelines; absent: nobody (a job). */
  requestedBy?: string;
  /** The run whose end, in this same statement, ends the roots (a runner's `completed`). */
  endedRun?: EndedRun;
  /** More outbox rows of the statement, written after the termination's own in its one outbox insert. */
  alsoWrite?: readonly OutboxRows[];
}

/**
 * A run the statement ends before the termination it causes. All CTEs of a statement see one
 * snapshot, where that run is still under way: it must not be cut off again (a row cannot be
 * updated twice in one statement), and its session cannot have its run status set apart from
 * its termination, so the termination sets it.
 */
export interface EndedRun {
  /** SQL yielding the ids of the runs ended (spared by `cut_runs`); the roots are their sessions. */
  ids: string;
  /** SQL of the run status the roots take (instead of `stopped`). */
  rootsRunStatus: string;
  /**
   * SQL yielding the facts of the end, recorded before the termination's (the run's end comes
   * first on the timeline): `zone_id`, `session_id`, `application_id`, `event_type`, `details`,
   * `recorded_at`, `run_id`, and `position`, their order (the reports' places when many runs end).
   */
  facts: string;
}

/**
 * The CTEs that end session subtrees (docs/decisions/2026-12-04-revocation-model.md): every live
 * session under `roots` becomes
 * terminated; their seats are freed and their parents' live-children counts drop; every active
 * edge touching them (plus `alsoRevoke`), and every edge derived from those, is revoked and the
 * zone's graph epoch bumped; their open
 * invocations are cancelled; and the outbox gets one `session_terminated` and one `session_revoked`
 * per session, one `edge_revoke` per edge and one `invocation_cancelled` per invocation.
 *
 * Concurrency, without locking whole trees: whoever attaches something to a session (a spawn under
 * it, an edge to or from it, an invocation) bumps its `revision` while holding its row. Here the
 * subtree is read from the statement's snapshot, then its rows are locked; if any locked row's
 * revision differs from the snapshot's, something was attached after the snapshot and the
 * statement refuses with `concurrent_change` (nothing applied; the caller retries with a fresh
 * snapshot). Writers arriving after the lock wait, then find the session terminated and refuse.
 * Each ended session's timeline gets `session_terminated` (with the reason), both sessions of each
 * revoked edge get `edge_revoked`, and the seed feeds a `session_updated` per ended session.
 * Their runs under way are cut off: pending → stopped, claimed | running → stopping, with
 * `run_stopped` / `run_stopping` on the timeline and a stop order for the runner.
 * The statement must be `WITH RECURSIVE`. Exposes CTEs `terminated`, `revoked`, `termination_events`
 * (the one outbox insert: the seed feeds' changes, the timeline feed, then the other events, then `alsoWrite`).
 */
export function terminationCtes(parts: TerminationParts): string[] {
  const { now, reason } = parts;
  const facts = timelineFacts('termination_facts', {
    source: 'coordinator',
    facts: terminationFacts(parts),
    orderBy: 'fact.phase, fact.depth, fact.key, fact.side',
    withRunId: true,
  });
  return [
    `subtree (id, revision) AS (
      SELECT s.id, s.revision FROM agent_sessions s WHERE s.id = ANY (ARRAY(${parts.roots})) AND s.status <> 'terminated'
      UNION
      SELECT child.id, child.revision FROM subtree CROSS JOIN LATERAL (
        SELECT c.id, c.revision FROM agent_sessions c WHERE c.parent_id = subtree.id AND c.status <> 'terminated') AS child)`,
    // The subtree and the roots' parents (whose live-children counts drop), locked in id order so
    // concurrent subtree changes queue instead of deadlocking.
    `locked AS (
      SELECT s.id, s.revision, s.status FROM agent_sessions s
      WHERE s.id = ANY (ARRAY(SELECT id FROM subtree UNION
                              SELECT parent_id FROM agent_sessions WHERE id = ANY (ARRAY(${parts.roots})) AND parent_id IS NOT NULL))
      ORDER BY s.id FOR UPDATE)`,
    `unchanged AS (
      SELECT CASE WHEN EXISTS (
          SELECT 1 FROM locked JOIN subtree ON subtree.id = locked.id
          WHERE locked.status <> 'terminated' AND locked.revision <> subtree.revision)
        THEN coordinator_refuse(409, '${CONCURRENT_CHANGE}', 'the subtree changed while it was being ended; retry')
        ELSE true END AS ok)`,
    `terminated AS (
      UPDATE agent_sessions s
      SET status = 'terminated', terminated_at = ${now}, termination_reason = ${reason}, live_children = 0,
        -- A session whose authority ends can no longer run: its run stops, unless it already ended.
        run_status = CASE ${parts.endedRun === undefined ? '' : `WHEN s.id = ANY (ARRAY(${parts.roots})) THEN ${parts.endedRun.rootsRunStatus}`}
          WHEN s.run_status IN ('stopped', 'finished', 'failed') THEN s.run_status ELSE 'stopped' END
      WHERE s.id = ANY (ARRAY(SELECT locked.id FROM locked JOIN subtree ON subtree.id = locked.id WHERE locked.status <> 'terminated'))
        AND s.status <> 'terminated' AND (SELECT ok FROM unchanged)
      RETURNING ${withSeedSessionColumns(['id', 'zone_id', 'application_id', 'parent_id', 'root_id', 'session_sid', 'zone_seat', 'application_seat'], 's')})`,
    // Its run under way is cut off with it (docs/runs.md): a pending run stops, a claimed or running
    // one becomes stopping and its runner gets the stop order (the NOTIFY wakes its poll).
    `cut_runs AS (
      UPDATE runs r SET status = CASE WHEN r.status = 'pending' THEN 'stopped' ELSE 'stopping' END, updated_at = ${now},
        completed_at = CASE WHEN r.status = 'pending' THEN ${now} ELSE r.completed_at END
      WHERE r.session_id = ANY (ARRAY(SELECT id FROM terminated)) AND r.status IN ('pending', 'claimed', 'running')
        ${parts.endedRun === undefined ? '' : `AND r.id <> ALL (ARRAY(${parts.endedRun.ids}))`}
      RETURNING r.id, r.zone_id, r.session_id, r.application_id, r.runner_id, r.status,
        CASE WHEN r.status = 'stopping' THEN pg_notify('${RUN_WAKEUP_CHANNEL}', 'stop|' || r.zone_id || '|' || r.runner_id) END AS woken)`,
    // Locked in primary-key order first, as a spawn's waiting seat claim locks them, so a
    // termination and a spawn waiting on each other's seats cannot deadlock. Each seat an ended
    // session names is found by its primary key (not a scan of its application's seats) and freed
    // only while that session holds it.
    `seats_to_free AS (
      SELECT seats.application_id, seats.zone_id, seats.seat
      FROM (SELECT t.application_id, t.zone_id, t.zone_seat AS seat, t.id FROM terminated t
            UNION ALL SELECT t.application_id, '', t.application_seat, t.id FROM terminated t) AS held
      JOIN agent_session_seats seats
        ON seats.application_id = held.application_id AND seats.zone_id = held.zone_id AND seats.seat = held.seat
      WHERE seats.holder_session_id = held.id
      ORDER BY seats.application_id, seats.zone_id, seats.seat FOR UPDATE OF seats)`,
    `freed_seats AS (
      UPDATE agent_session_seats seats SET holder_session_id = NULL
      FROM seats_to_free
      WHERE (seats.application_id, seats.zone_id, seats.seat) = (seats_to_free.application_id, seats_to_free.zone_id, seats_to_free.seat)
      RETURNING 1)`,
    `parents AS (
      UPDATE agent_sessions parent
      SET live_children = greatest(parent.live_children - (SELECT count(*) FROM terminated t WHERE t.parent_id = parent.id), 0)
      WHERE parent.id = ANY (ARRAY(SELECT parent_id FROM terminated
                                   WHERE parent_id IS NOT NULL AND parent_id NOT IN (SELECT id FROM terminated)))
      RETURNING 1)`,
    `edges_to_revoke AS (
      SELECT e.id FROM delegation_edges e
      WHERE e.source_session_id = ANY (ARRAY(SELECT id FROM terminated)) AND e.status = 'active'
      UNION SELECT e.id FROM delegation_edges e
      WHERE e.target_session_id = ANY (ARRAY(SELECT id FROM terminated)) AND e.status = 'active'
      ${parts.alsoRevoke === undefined ? '' : `UNION SELECT id FROM (${parts.alsoRevoke}) AS extra`})`,
    // No active edge outlives the edge it derives from: what was derived from a revoked edge goes
    // too (its target session lives on; it just loses that authority).
    `revoked_with_derived (id) AS (
      SELECT id FROM edges_to_revoke
      UNION
      SELECT e.id FROM delegation_edges e JOIN revoked_with_derived r ON e.parent_edge_id = r.id WHERE e.status = 'active')`,
    `revoked AS (
      UPDATE delegation_edges e SET status = 'revoked', revoked_at = ${now}, edge_version = e.edge_version + 1
      WHERE e.id = ANY (ARRAY(SELECT id FROM revoked_with_derived)) AND e.status = 'active'
      RETURNING e.id, e.zone_id, e.source_session_id, e.target_session_id, e.issuer_application_id, e.receiver_application_id,
        e.scopes, e.resource_id)`,
    `epochs AS (
      INSERT INTO delegation_graph_epochs (zone_id, epoch, updated_at)
      SELECT DISTINCT zone_id, 1, ${now} FROM revoked
      ON CONFLICT (zone_id) DO UPDATE SET epoch = delegation_graph_epochs.epoch + 1, updated_at = excluded.updated_at
      RETURNING zone_id, epoch)`,
    `cancelled AS (
      UPDATE agent_invocations i SET status = 'cancelled', finished_at = ${now}, cancel_reason = 'session_terminated'
      WHERE i.agent_session_id = ANY (ARRAY(SELECT id FROM terminated)) AND i.status IN ('pending', 'running')
      RETURNING i.id, i.zone_id, i.agent_session_id, i.application_id)`,
    facts.cte,
    // The outbox rows in one insert: the seed feeds' session changes, the timeline facts' feed, then
    // per kind (in id order) the lifecycle, revocation and invalidation events.
    outboxInsertCte('termination_events', [
      sessionChangeRows('session_updated', 'SELECT * FROM terminated'),
      facts.feed,
      outboxRows({
        topic: `'${Topics.agentsLifecycle}'`,
        eventType: "'session_terminated'",
        zoneId: 't.zone_id',
        payload: `jsonb_build_object('agent_session_id', t.id, 'application_id', t.application_id, 'parent_id', t.parent_id,
          'root_id', t.root_id, 'reason', ${reason}, 'terminated_at', ${now})`,
        orderBy: { text: 't.id' },
        from: 'FROM terminated t',
      }),
      outboxRows({
        topic: `'${Topics.sessionsRevoke}'`,
        eventType: "'session_revoked'",
        zoneId: 't.zone_id',
        payload: `jsonb_build_object('agent_session_id', t.id, 'session_sid', t.session_sid, 'application_id', t.application_id,
          'reason', ${reason}, 'revoked_at', ${now})`,
        orderBy: { text: 't.id' },
        from: 'FROM terminated t',
      }),
      outboxRows({
        topic: `'${Topics.delegationsInvalidate}'`,
        eventType: "'edge_revoke'",
        zoneId: 'r.zone_id',
        payload: `jsonb_build_object('delegation_edge_id', r.id, 'source_session_id', r.source_session_id,
          'target_session_id', r.target_session_id, 'issuer_application_id', r.issuer_application_id,
          'receiver_application_id', r.receiver_application_id, 'epoch', epochs.epoch)`,
        orderBy: { text: 'r.id' },
        from: 'FROM revoked r JOIN epochs ON epochs.zone_id = r.zone_id',
      }),
      outboxRows({
        topic: `'${Topics.invocationsLifecycle}'`,
        eventType: "'invocation_cancelled'",
        zoneId: 'c.zone_id',
        payload: `jsonb_build_object('invocation_id', c.id, 'agent_session_id', c.agent_session_id, 'application_id', c.application_id,
          'reason', 'session_terminated')`,
        orderBy: { text: 'c.id' },
        from: 'FROM cancelled c',
      }),
      ...(parts.alsoWrite ?? []),
    ]),
  ];
}

/**
 * The timeline facts of a termination: the ended runs', if any (in their order), then `session_terminated` on every
 * ended session (shallowest first), then `edge_revoked` on both sessions of every revoked edge
 * (source first), then the runs cut off.
 */
function terminationFacts({ now, reason, requestedBy, endedRun }: TerminationParts): string {
  return `SELECT t.zone_id, t.id AS session_id, t.application_id, 'session_terminated' AS event_type,
      jsonb_build_object('reason', ${reason}, 'parent_session_id', t.parent_id, 'root_session_id', t.root_id,
        'requested_by', ${requestedBy ?? 'NULL::jsonb'}) AS details,
      ${now} AS recorded_at, 0 AS phase, t.depth, t.id AS key, 0 AS side, NULL::text AS run_id
    FROM terminated t
    UNION ALL
    SELECT s.zone_id, s.id, s.application_id, 'edge_revoked',
      jsonb_build_object('delegation_edge_id', r.id, 'source_session_id', r.source_session_id, 'target_session_id', r.target_session_id,
        'issuer_application_id', r.issuer_application_id, 'receiver_application_id', r.receiver_application_id,
        'scopes', to_jsonb(r.scopes), 'resource_id', r.resource_id, 'reason', ${reason}),
      ${now}, 1, 0, r.id, touched.side, NULL::text
    FROM revoked r
    CROSS JOIN LATERAL (VALUES (r.source_session_id, 0), (r.target_session_id, 1)) AS touched (session_id, side)
    JOIN agent_sessions s ON s.id = touched.session_id
    UNION ALL
    SELECT c.zone_id, c.session_id, c.application_id, CASE WHEN c.status = 'stopped' THEN 'run_stopped' ELSE 'run_stopping' END,
      jsonb_build_object('status', c.status, 'runner_id', c.runner_id, 'reason', 'session_terminated'),
      ${now}, 2, 0, c.id, 0, c.id
    FROM cut_runs c${endedRun === undefined ? '' : `
    UNION ALL
    SELECT ended.zone_id, ended.session_id, ended.application_id, ended.event_type, ended.details, ended.recorded_at, -1, ended.position, ended.run_id, 0, ended.run_id
    FROM (${endedRun.facts}) AS ended`}`;
}

import type { Database, Queryable } from '../../db/database.ts';
import { Topics } from '../../events/topics.ts';
import { wakeOutboxPublishers } from '../shared/outbox-wakeup-repository.ts';
import { retryingConcurrentChanges } from '../shared/concurrent-change.ts';
import { terminateSubtrees } from './lifecycle-repository.ts';

const BATCH = 200;

/** Sessions past their `expires_at`, oldest first. */
async function expiredSessionIds(database: Queryable, now: Date): Promise<string[]> {
  const result = await database.query<{ id: string }>(
    `SELECT id FROM agent_sessions
     WHERE status <> 'terminated' AND expires_at IS NOT NULL AND expires_at <= $1::timestamptz
     ORDER BY expires_at LIMIT ${BATCH}`,
    [now.toISOString()],
  );
  return result.rows.map((row) => row.id);
}

/**
 * Active edges past their expiry become `expired`, one `edge_expire` event each with the zone's
 * bumped epoch. Nothing else changes: a child edge never outlives its parent, so it expires too.
 */
async function expireEdges(database: Queryable, now: Date): Promise<number> {
  const result = await database.query<{ expired: number }>(
    `WITH due AS (
       SELECT id FROM delegation_edges WHERE status = 'active' AND expires_at <= $1::timestamptz
       ORDER BY expires_at LIMIT 1000 FOR UPDATE SKIP LOCKED),
     expired AS (
       UPDATE delegation_edges e SET status = 'expired', edge_version = e.edge_version + 1
       FROM due WHERE e.id = due.id
       RETURNING e.id, e.zone_id, e.source_session_id, e.target_session_id, e.issuer_application_id, e.receiver_application_id),
     epochs AS (
       INSERT INTO delegation_graph_epochs (zone_id, epoch, updated_at)
       SELECT DISTINCT zone_id, 1, $1::timestamptz FROM expired
       ON CONFLICT (zone_id) DO UPDATE SET epoch = delegation_graph_epochs.epoch + 1, updated_at = excluded.updated_at
       RETURNING zone_id, epoch),
     events AS (
       INSERT INTO caracal_outbox (topic, event_type, zone_id, payload)
       SELECT '${Topics.delegationsInvalidate}', 'edge_expire', x.zone_id, jsonb_build_object('delegation_edge_id', x.id,
         'source_session_id', x.source_session_id, 'target_session_id', x.target_session_id,
         'issuer_application_id', x.issuer_application_id, 'receiver_application_id', x.receiver_application_id, 'epoch', epochs.epoch)
       FROM expired x JOIN epochs ON epochs.zone_id = x.zone_id RETURNING id)
     SELECT (SELECT count(*) FROM expired)::int AS expired`,
    [now.toISOString()],
  );
  return result.rows[0]!.expired;
}

/**
 * The TTL sweeper's work: every session past `expires_at` is terminated with its subtree (the same
 * cascade as DELETE, reason `expired`, with its events), then expired edges are marked. Works in
 * batches until nothing is due; safe to run on several replicas at once.
 */
export async function expireSessionsAndEdges(database: Database, now: Date): Promise<{ terminatedSessions: number; expiredEdges: number }> {
  let terminatedSessions = 0;
  for (;;) {
    const due = await expiredSessionIds(database, now);
    if (due.length === 0) break;
    const counts = await retryingConcurrentChanges(() => terminateSubtrees(database, { roots: due, now: now.getTime(), reason: 'expired' }));
    terminatedSessions += counts.terminatedSessions;
    if (due.length < BATCH) break;
  }
  let expiredEdges = 0;
  for (;;) {
    const expired = await expireEdges(database, now);
    expiredEdges += expired;
    if (expired < 1000) break;
  }
  if (terminatedSessions + expiredEdges > 0) wakeOutboxPublishers(database);
  return { terminatedSessions, expiredEdges };
}

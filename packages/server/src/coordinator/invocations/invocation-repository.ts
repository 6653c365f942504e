import type { InvocationStatus } from '@caracal/protocol';
import type { Database, Queryable } from '../../db/database.ts';
import { Topics } from '../../events/topics.ts';
import { refusing } from '../shared/database-errors.ts';
import { receiptCte, type ReceiptRecord } from '../shared/idempotency-repository.ts';
import type { PageRequest } from '../../http/pagination.ts';
import { SqlParameters } from '../shared/sql-parameters.ts';
import { runSweep } from '../shared/sweep.ts';
import { findById, listPage, type TableShape } from '../shared/table-reads.ts';
import type { InvocationRow } from './invocation-row.ts';

const COLUMNS = `id, zone_id, application_id, agent_session_id, service_id, operation, input, output, error, metadata,
  status, deadline_at, created_at, started_at, finished_at, cancel_reason`;
const INVOCATIONS: TableShape = { table: 'agent_invocations', columns: COLUMNS };

export function findInvocation(database: Queryable, id: string): Promise<InvocationRow | undefined> {
  return findById(database, INVOCATIONS, id, { prepare: true });
}

export interface InvocationFilters {
  zoneId: string;
  applicationId?: string;
  agentSessionId?: string;
  serviceId?: string;
  status?: InvocationStatus;
}

/** One page of a zone's invocations in id order. */
export function listInvocations(database: Queryable, filters: InvocationFilters, page: PageRequest): Promise<InvocationRow[]> {
  const equal = {
    zone_id: filters.zoneId,
    application_id: filters.applicationId,
    agent_session_id: filters.agentSessionId,
    service_id: filters.serviceId,
    status: filters.status,
  };
  return listPage(database, INVOCATIONS, equal, page);
}

/**
 * Creates an invocation for a session that must still be active. Bumping the session's revision
 * under its row lock means a concurrent terminate either ended the session first (the insert is
 * refused) or notices the change and retries, cancelling this invocation with the session.
 */
export async function insertInvocation(database: Queryable, row: InvocationRow, receipt: ReceiptRecord | undefined): Promise<void> {
  const p = new SqlParameters();
  const session = p.add(row.agent_session_id, '::text');
  const zone = p.add(row.zone_id, '::text');
  const id = p.add(row.id, '::text');
  const sql = `WITH session AS (
      UPDATE agent_sessions SET revision = revision + 1
      WHERE id = ${session} AND zone_id = ${zone} AND status = 'active'
      RETURNING id),
    invocation AS (
      INSERT INTO agent_invocations (id, zone_id, application_id, agent_session_id, service_id, operation, input, metadata,
        deadline_at, created_at)
      SELECT ${id}, ${zone}, ${p.add(row.application_id, '::text')}, ${session}, ${p.add(row.service_id, '::text')},
        ${p.add(row.operation, '::text')}, ${p.json(row.input)}, ${p.json(row.metadata)},
        ${p.add(row.deadline_at?.toISOString() ?? null, '::timestamptz')}, ${p.add(row.created_at.toISOString(), '::timestamptz')}
      FROM session RETURNING id),
    events AS (
      INSERT INTO caracal_outbox (topic, event_type, zone_id, payload)
      SELECT '${Topics.invocationsLifecycle}', 'invocation_created', ${zone},
        jsonb_build_object('invocation_id', ${id}, 'agent_session_id', ${session}, 'application_id', ${p.add(row.application_id, '::text')},
          'operation', ${p.add(row.operation, '::text')})
      FROM invocation RETURNING id),
    ${receiptCte(p, receipt, 'invocation')}
    SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM invocation)
      THEN coordinator_refuse(409, 'session_not_active', 'agent session ' || ${session} || ' is not active') ELSE true END AS created, (SELECT count(*) FROM receipt)::int AS receipts`;
  await refusing(database.query(sql, p.values, { prepare: true }));
}

/** A move between invocation states, applied only from the listed states. */
export interface InvocationTransition {
  id: string;
  from: readonly InvocationStatus[];
  to: InvocationStatus;
  event: string;
  now: string;
  output?: unknown;
  error?: unknown;
  cancelReason?: string | null;
  /** Refuse when the deadline has passed (starting or completing late). */
  beforeDeadline: boolean;
}

/** Applies a transition and enqueues its event in one statement; undefined when it did not apply. */
export async function transitionInvocation(database: Queryable, change: InvocationTransition): Promise<InvocationRow | undefined> {
  const p = new SqlParameters();
  const now = p.add(change.now, '::timestamptz');
  const to = p.add(change.to, '::text');
  const finished = change.to !== 'running';
  const result = await database.query<InvocationRow>(
    `WITH changed AS (
       UPDATE agent_invocations SET status = ${to},
         started_at = CASE WHEN ${to} = 'running' THEN ${now} ELSE started_at END,
         finished_at = ${finished ? now : 'finished_at'},
         output = coalesce(${p.json(change.output)}, output),
         error = coalesce(${p.json(change.error)}, error),
         cancel_reason = coalesce(${p.add(change.cancelReason ?? null, '::text')}, cancel_reason)
       WHERE id = ${p.add(change.id, '::text')} AND status = ANY(${p.add(change.from, '::text[]')})
         AND (NOT ${p.add(change.beforeDeadline, '::boolean')} OR deadline_at IS NULL OR deadline_at > ${now})
       RETURNING ${COLUMNS}),
     events AS (
       INSERT INTO caracal_outbox (topic, event_type, zone_id, payload)
       SELECT '${Topics.invocationsLifecycle}', ${p.add(change.event, '::text')}, zone_id,
         jsonb_build_object('invocation_id', id, 'agent_session_id', agent_session_id, 'application_id', application_id,
           'status', status, 'at', ${now})
       FROM changed RETURNING id)
     SELECT changed.* FROM changed`,
    p.values,
    { prepare: true },
  );
  return result.rows[0];
}

/**
 * The deadline enforcer's work: every open invocation past its deadline becomes `expired`, with an
 * `invocation_expired` event each. Batches of 1,000 rows, skipping rows another replica holds.
 */
export function expireOverdueInvocations(database: Database, now: Date): Promise<number> {
  return runSweep(
    database,
    {
      changes: `overdue AS (
         SELECT id FROM agent_invocations
         WHERE status IN ('pending', 'running') AND deadline_at IS NOT NULL AND deadline_at <= $1::timestamptz
         ORDER BY deadline_at LIMIT 1000 FOR UPDATE SKIP LOCKED),
       changed AS (
         UPDATE agent_invocations i SET status = 'expired', finished_at = $1::timestamptz
         FROM overdue WHERE i.id = overdue.id
         RETURNING i.id, i.zone_id, i.agent_session_id, i.application_id)`,
      topic: Topics.invocationsLifecycle,
      eventType: 'invocation_expired',
      payload: `'invocation_id', id, 'agent_session_id', agent_session_id, 'application_id', application_id`,
    },
    now,
  );
}

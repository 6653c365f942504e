import type { ServiceStatus } from '@caracal/protocol';
import type { Database, Queryable } from '../../db/database.ts';
import { Topics } from '../../events/topics.ts';
import { receiptCte, type ReceiptRecord } from '../shared/idempotency-repository.ts';
import type { PageRequest } from '../../http/pagination.ts';
import { SqlParameters } from '../shared/sql-parameters.ts';
import { runSweep } from '../shared/sweep.ts';
import { findById, listPage, type TableShape } from '../shared/table-reads.ts';
import type { ServiceAgentRow } from './service-agent-row.ts';

const COLUMNS = `id, zone_id, application_id, name, agent_session_id, endpoint, capabilities, metadata, status, lease_seconds,
  lease_expires_at, last_heartbeat_at, registered_at, deregistered_at`;
const SERVICES: TableShape = { table: 'agent_services', columns: COLUMNS };

export function findServiceAgent(database: Queryable, id: string): Promise<ServiceAgentRow | undefined> {
  return findById(database, SERVICES, id);
}

export interface ServiceFilters {
  zoneId: string;
  applicationId?: string;
  status?: ServiceStatus;
  name?: string;
}

/** One page of a zone's service agents in id order. */
export function listServiceAgents(database: Queryable, filters: ServiceFilters, page: PageRequest): Promise<ServiceAgentRow[]> {
  const equal = { zone_id: filters.zoneId, application_id: filters.applicationId, status: filters.status, name: filters.name };
  return listPage(database, SERVICES, equal, page);
}

export interface RegistrationRecord {
  id: string;
  zoneId: string;
  applicationId: string;
  name: string;
  agentSessionId: string | null;
  endpoint: string | null;
  capabilities: unknown[];
  metadata: Record<string, unknown>;
  leaseSeconds: number;
  now: string;
  leaseExpiresAt: string;
}

/**
 * Registers a service agent, or re-registers the live one with the same name (same id, fields
 * replaced, lease renewed, healthy again). Returns the row and whether it was new.
 */
export async function upsertServiceAgent(
  database: Queryable,
  record: RegistrationRecord,
): Promise<{ row: ServiceAgentRow; created: boolean }> {
  const p = new SqlParameters();
  const now = p.add(record.now, '::timestamptz');
  const result = await database.query<ServiceAgentRow & { created: boolean }>(
    `WITH registered AS (
       INSERT INTO agent_services (id, zone_id, application_id, name, agent_session_id, endpoint, capabilities, metadata,
         status, lease_seconds, lease_expires_at, last_heartbeat_at, registered_at)
       VALUES (${p.add(record.id, '::text')}, ${p.add(record.zoneId, '::text')}, ${p.add(record.applicationId, '::text')},
         ${p.add(record.name, '::text')}, ${p.add(record.agentSessionId, '::text')}, ${p.add(record.endpoint, '::text')},
         ${p.json(record.capabilities)}, ${p.json(record.metadata)}, 'healthy', ${p.add(record.leaseSeconds, '::int')},
         ${p.add(record.leaseExpiresAt, '::timestamptz')}, ${now}, ${now})
       ON CONFLICT (zone_id, application_id, name) WHERE status <> 'deregistered' DO UPDATE SET
         agent_session_id = excluded.agent_session_id, endpoint = excluded.endpoint, capabilities = excluded.capabilities,
         metadata = excluded.metadata, status = 'healthy', lease_seconds = excluded.lease_seconds,
         lease_expires_at = excluded.lease_expires_at, last_heartbeat_at = excluded.last_heartbeat_at
       RETURNING ${COLUMNS}, (xmax = 0) AS created),
     events AS (
       INSERT INTO caracal_outbox (topic, event_type, zone_id, payload)
       SELECT '${Topics.agentsLifecycle}', 'service_registered', zone_id,
         jsonb_build_object('service_id', id, 'application_id', application_id, 'name', name, 'agent_session_id', agent_session_id)
       FROM registered RETURNING id)
     SELECT registered.* FROM registered`,
    p.values,
  );
  const { created, ...row } = result.rows[0]!;
  return { row: row as ServiceAgentRow, created };
}

/** Stores an idempotency receipt (in the registration's transaction: its status is known only after the upsert). */
export async function storeReceipt(database: Queryable, receipt: ReceiptRecord): Promise<void> {
  const p = new SqlParameters();
  await database.query(`WITH always AS (SELECT 1), ${receiptCte(p, receipt, 'always')} SELECT count(*) FROM receipt`, p.values);
}

/** Renews the lease of a registered service (healthy again if it had lapsed); undefined if deregistered. */
export async function renewLease(
  database: Queryable,
  renewal: { id: string; leaseSeconds: number | undefined; now: number },
): Promise<(ServiceAgentRow & { revived: boolean }) | undefined> {
  const result = await database.query<ServiceAgentRow & { revived: boolean }>(
    `WITH previous AS (SELECT status FROM agent_services WHERE id = $1),
     renewed AS (
       UPDATE agent_services SET status = 'healthy', lease_seconds = coalesce($2::int, lease_seconds),
         lease_expires_at = $3::timestamptz + make_interval(secs => coalesce($2::int, lease_seconds)),
         last_heartbeat_at = $3::timestamptz
       WHERE id = $1 AND status <> 'deregistered'
       RETURNING ${COLUMNS}),
     events AS (
       INSERT INTO caracal_outbox (topic, event_type, zone_id, payload)
       SELECT '${Topics.agentsLifecycle}', 'service_healthy', zone_id,
         jsonb_build_object('service_id', id, 'application_id', application_id)
       FROM renewed WHERE (SELECT status FROM previous) = 'unhealthy' RETURNING id)
     SELECT renewed.*, coalesce((SELECT status FROM previous) = 'unhealthy', false) AS revived FROM renewed`,
    [renewal.id, renewal.leaseSeconds ?? null, new Date(renewal.now).toISOString()],
  );
  return result.rows[0];
}

export async function deregisterServiceAgent(database: Queryable, change: { id: string; now: number }): Promise<boolean> {
  const result = await database.query<{ count: number }>(
    `WITH gone AS (
       UPDATE agent_services SET status = 'deregistered', deregistered_at = $2::timestamptz
       WHERE id = $1 AND status <> 'deregistered' RETURNING id, zone_id, application_id),
     events AS (
       INSERT INTO caracal_outbox (topic, event_type, zone_id, payload)
       SELECT '${Topics.agentsLifecycle}', 'service_deregistered', zone_id,
         jsonb_build_object('service_id', id, 'application_id', application_id) FROM gone RETURNING id)
     SELECT (SELECT count(*) FROM gone)::int AS count`,
    [change.id, new Date(change.now).toISOString()],
  );
  return result.rows[0]!.count > 0;
}

/**
 * The lease sweeper's work: healthy services whose lease ran out become `unhealthy`, each with a
 * `service_unhealthy` event. Returns how many changed.
 */
export function markStaleServicesUnhealthy(database: Database, now: Date): Promise<number> {
  return runSweep(
    database,
    {
      changes: `changed AS (
         UPDATE agent_services SET status = 'unhealthy'
         WHERE id IN (SELECT id FROM agent_services WHERE status = 'healthy' AND lease_expires_at <= $1::timestamptz
                      ORDER BY lease_expires_at LIMIT 1000 FOR UPDATE SKIP LOCKED)
           AND status = 'healthy'
         RETURNING id, zone_id, application_id, name)`,
      topic: Topics.agentsLifecycle,
      eventType: 'service_unhealthy',
      payload: `'service_id', id, 'application_id', application_id, 'name', name`,
    },
    now,
  );
}

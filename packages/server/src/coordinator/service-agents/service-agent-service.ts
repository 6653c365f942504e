import type { DeregisterResult, HeartbeatResult, RegisteredService, RegisterServiceBody } from '@caracal/protocol';
import { newId } from '../../ids.ts';
import { conflict } from '../../http/server-error.ts';
import type { ServerContext } from '../../server-context.ts';
import { requireSession } from '../sessions/session-service.ts';
import { actingApplication, requireOwned, type ActionTarget } from '../shared/access.ts';
import type { CreateResult } from '../shared/idempotency.ts';
import { idempotentCreate, type CreateRequest } from '../shared/idempotent-create.ts';
import { inZone } from '../shared/in-zone.ts';
import { wakeOutboxPublishers } from '../shared/outbox-wakeup-repository.ts';
import { assertStorableFields } from '../shared/storable-json.ts';
import { deregisterServiceAgent, findServiceAgent, renewLease, storeReceipt, upsertServiceAgent } from './service-agent-repository.ts';
import { serviceAgentView, type ServiceAgentRow } from './service-agent-row.ts';

/** How long a registration stays healthy without a heartbeat, unless it asks otherwise. */
export const DEFAULT_LEASE_SECONDS = 30;

export async function requireService(context: ServerContext, zoneId: string, id: string): Promise<ServiceAgentRow> {
  return inZone(await findServiceAgent(context.database, id), zoneId, `service agent ${id}`);
}

/**
 * Registers a service agent with a lease (201), or re-registers the live one of the same name
 * (200, same id). The optional backing session must be an active one of the same application.
 */
export async function registerService(
  context: ServerContext,
  request: CreateRequest<RegisterServiceBody>,
): Promise<CreateResult<RegisteredService>> {
  const { principal, zoneId, body } = request;
  const applicationId = actingApplication(principal, body.application_id);
  assertStorableFields(body, ['metadata', 'capabilities', 'name']);
  const now = context.now();
  return idempotentCreate(context, request, now, async (receiptFor) => {
    if (body.agent_session_id !== undefined) {
      const session = await requireSession(context, zoneId, body.agent_session_id);
      if (session.application_id !== applicationId) throw conflict('the backing session belongs to another application', 'application_mismatch');
      if (session.status !== 'active') throw conflict(`agent session ${session.id} is ${session.status}`, 'session_not_active');
    }
    const leaseSeconds = body.lease_seconds ?? DEFAULT_LEASE_SECONDS;
    return context.database.transaction(async (transaction) => {
      const { row, created } = await upsertServiceAgent(transaction, {
        id: newId('svc', now),
        zoneId,
        applicationId,
        name: body.name,
        agentSessionId: body.agent_session_id ?? null,
        endpoint: body.endpoint ?? null,
        capabilities: body.capabilities ?? [],
        metadata: body.metadata ?? {},
        leaseSeconds,
        now: new Date(now).toISOString(),
        leaseExpiresAt: new Date(now + leaseSeconds * 1000).toISOString(),
      });
      const result = { statusCode: created ? 201 : 200, body: { service_id: row.id, ...serviceAgentView(row) } };
      const receipt = receiptFor(result);
      if (receipt !== undefined) await storeReceipt(transaction, receipt);
      return result;
    });
  });
}

/** A heartbeat renews the lease; a service that had lapsed to unhealthy becomes healthy again. */
export async function heartbeat(
  context: ServerContext,
  request: ActionTarget & { leaseSeconds: number | undefined },
): Promise<HeartbeatResult> {
  const service = await requireOwned(context, request, requireService, 'service agent');
  const renewed = await renewLease(context.database, { id: service.id, leaseSeconds: request.leaseSeconds, now: context.now() });
  if (renewed === undefined) throw conflict(`service agent ${service.id} is deregistered`, 'service_deregistered');
  if (renewed.revived) wakeOutboxPublishers(context.database);
  return { service_id: renewed.id, status: renewed.status, lease_expires_at: serviceAgentView(renewed).lease_expires_at };
}

export async function deregister(
  context: ServerContext,
  request: ActionTarget,
): Promise<DeregisterResult> {
  const service = await requireOwned(context, request, requireService, 'service agent');
  const deregistered = await deregisterServiceAgent(context.database, { id: service.id, now: context.now() });
  if (deregistered) wakeOutboxPublishers(context.database);
  return { deregistered };
}

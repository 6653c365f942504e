import type { SpawnedSession, SpawnSessionBody } from '@caracal/protocol';
import type { SessionLimits } from '../../config.ts';
import { newId } from '../../ids.ts';
import type { SessionRow } from './session-row.ts';
import type { SessionGrant } from './spawn-grant.ts';
import type { SeedSpawnFields, SpawnRecord } from './spawn-repository.ts';

/** A spawn worked out in full: what to write and what to answer. */
export interface SpawnPlan {
  record: Omit<SpawnRecord, 'receipt'>;
  response: SpawnedSession;
}

/**
 * Turns a checked spawn request into the rows to write and the 201 body, with fresh
 * time-ordered ids for the session and its inherited edge. Pure: no I/O.
 */
export function planSpawn(input: {
  zoneId: string;
  applicationId: string;
  body: Pick<SpawnSessionBody, 'kind' | 'capabilities' | 'labels' | 'metadata' | 'session_sid'>;
  parent: SessionRow | undefined;
  grant: SessionGrant;
  now: number;
  expiresAt: number | null;
  limits: SessionLimits;
  seed?: SeedSpawnFields | undefined;
}): SpawnPlan {
  const { zoneId, applicationId, body, parent, grant, now } = input;
  const id = newId('agentsess', now);
  const edgeId = grant.edge === undefined ? null : newId('deledge', now);
  const spawnedAt = new Date(now).toISOString();
  const expiresAt = input.expiresAt === null ? null : new Date(input.expiresAt).toISOString();
  const kind = body.kind ?? 'instance';
  const response: SpawnedSession = {
    agent_session_id: id,
    zone_id: zoneId,
    application_id: applicationId,
    parent_id: parent?.id ?? null,
    root_id: parent?.root_id ?? id,
    kind,
    status: 'active',
    depth: parent === undefined ? 0 : parent.depth + 1,
    spawned_at: spawnedAt,
    expires_at: expiresAt,
    delegation_edge_id: edgeId,
    scopes: grant.scopes,
    resource_id: grant.resourceId,
  };
  const edge =
    grant.edge === undefined || edgeId === null || parent === undefined
      ? undefined
      : {
          id: edgeId,
          issuerApplicationId: parent.application_id,
          parentEdgeId: grant.edge.parentEdgeId,
          scopes: grant.edge.scopes,
          resourceId: grant.edge.resourceId,
          constraints: grant.edge.constraints,
          maxHops: grant.edge.maxHops,
          budgetRemaining: grant.edge.budgetRemaining,
          expiresAt: new Date(grant.edge.expiresAt).toISOString(),
        };
  const record: Omit<SpawnRecord, 'receipt'> = {
    id,
    zoneId,
    applicationId,
    kind,
    capabilities: body.capabilities ?? [],
    labels: body.labels ?? {},
    metadata: body.metadata ?? {},
    scopes: grant.scopes,
    resourceId: grant.resourceId,
    constraints: grant.constraints,
    sessionSid: body.session_sid ?? null,
    spawnedAt,
    expiresAt,
    parent: parent === undefined ? undefined : { id: parent.id, rootId: parent.root_id, depth: parent.depth },
    edge,
    limits: input.limits,
    ...(input.seed === undefined ? {} : { seed: input.seed }),
  };
  return { record, response };
}

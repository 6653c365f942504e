import type { CreatedDelegation } from '@caracal/protocol';
import { newId } from '../../ids.ts';
import type { SessionRow } from '../sessions/session-row.ts';
import type { EdgeRecord } from './create-edge-repository.ts';
import { edgeView, type EdgeRow } from './edge-row.ts';
import type { EdgeTerms } from './narrow-authority.ts';

/** An explicit edge worked out in full: what to write and the 201 body. Pure: no I/O. */
export function planEdge(input: { zoneId: string; source: SessionRow; target: SessionRow; terms: EdgeTerms; now: number }): {
  record: Omit<EdgeRecord, 'receipt' | 'inboundEdgesSeen'>;
  response: CreatedDelegation;
} {
  const { zoneId, source, target, terms, now } = input;
  const id = newId('deledge', now);
  const row: EdgeRow = {
    id,
    zone_id: zoneId,
    source_session_id: source.id,
    target_session_id: target.id,
    issuer_application_id: source.application_id,
    receiver_application_id: target.application_id,
    parent_edge_id: terms.parentEdgeId,
    scopes: terms.scopes,
    resource_id: terms.resourceId,
    constraints: terms.constraints,
    max_hops: terms.maxHops,
    budget_remaining: terms.budgetRemaining,
    status: 'active',
    expires_at: new Date(terms.expiresAt),
    created_at: new Date(now),
    revoked_at: null,
    edge_version: 1,
    origin: 'delegation',
  };
  return {
    response: { delegation_edge_id: id, ...edgeView(row) },
    record: {
      id,
      zoneId,
      sourceSessionId: source.id,
      targetSessionId: target.id,
      issuerApplicationId: source.application_id,
      receiverApplicationId: target.application_id,
      parentEdgeId: terms.parentEdgeId,
      scopes: terms.scopes,
      resourceId: terms.resourceId,
      constraints: terms.constraints,
      maxHops: terms.maxHops,
      budgetRemaining: terms.budgetRemaining,
      expiresAt: row.expires_at.toISOString(),
      createdAt: row.created_at.toISOString(),
    },
  };
}

import type { DelegationEdge, EdgeStatus } from '@caracal/protocol';
import { isoOrNull, isoText } from '../shared/time.ts';
import type { Constraints } from './authority.ts';

/** A `delegation_edges` row as the repositories read it. */
export interface EdgeRow {
  id: string;
  zone_id: string;
  source_session_id: string;
  target_session_id: string;
  issuer_application_id: string;
  receiver_application_id: string;
  parent_edge_id: string | null;
  scopes: string[];
  resource_id: string | null;
  constraints: Constraints;
  max_hops: number | null;
  budget_remaining: number | null;
  status: EdgeStatus;
  expires_at: Date;
  created_at: Date;
  revoked_at: Date | null;
  edge_version: number;
  origin: string;
}

/** The wire form of an edge: the row, with times as ISO 8601 text. */
export function edgeView(row: EdgeRow): DelegationEdge {
  return {
    id: row.id,
    zone_id: row.zone_id,
    source_session_id: row.source_session_id,
    target_session_id: row.target_session_id,
    issuer_application_id: row.issuer_application_id,
    receiver_application_id: row.receiver_application_id,
    parent_edge_id: row.parent_edge_id,
    scopes: row.scopes,
    resource_id: row.resource_id,
    constraints: row.constraints,
    max_hops: row.max_hops,
    budget_remaining: row.budget_remaining,
    status: row.status,
    expires_at: isoText(row.expires_at),
    created_at: isoText(row.created_at),
    revoked_at: isoOrNull(row.revoked_at),
    edge_version: row.edge_version,
    origin: row.origin,
  };
}

/** True while an edge can carry authority: active and not past its expiry. */
export function isLive(edge: Pick<EdgeRow, 'status' | 'expires_at'>, now: number): boolean {
  return edge.status === 'active' && edge.expires_at.getTime() > now;
}

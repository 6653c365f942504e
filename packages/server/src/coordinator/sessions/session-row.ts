import type { AgentSession, SessionStatus } from '@caracal/protocol';
import type { Constraints } from '../delegations/authority.ts';
import { isoOrNull, isoText } from '../shared/time.ts';

/** An `agent_sessions` row as the repositories read it. */
export interface SessionRow {
  id: string;
  zone_id: string;
  application_id: string;
  parent_id: string | null;
  root_id: string;
  status: SessionStatus;
  depth: number;
  kind: string;
  capabilities: string[];
  labels: Record<string, string>;
  metadata: Record<string, unknown>;
  scopes: string[] | null;
  resource_id: string | null;
  constraints: Constraints | null;
  delegation_edge_id: string | null;
  session_sid: string | null;
  live_children: number;
  spawned_at: Date;
  expires_at: Date | null;
  suspended_at: Date | null;
  terminated_at: Date | null;
  termination_reason: string | null;
}

/** The wire form of a session: the row, with times as ISO 8601 text. */
export function sessionView(row: SessionRow): AgentSession {
  return {
    id: row.id,
    zone_id: row.zone_id,
    application_id: row.application_id,
    parent_id: row.parent_id,
    root_id: row.root_id,
    status: row.status,
    depth: row.depth,
    kind: row.kind,
    capabilities: row.capabilities,
    labels: row.labels,
    metadata: row.metadata,
    scopes: row.scopes,
    resource_id: row.resource_id,
    constraints: row.constraints,
    delegation_edge_id: row.delegation_edge_id,
    live_children: row.live_children,
    spawned_at: isoText(row.spawned_at),
    expires_at: isoOrNull(row.expires_at),
    suspended_at: isoOrNull(row.suspended_at),
    terminated_at: isoOrNull(row.terminated_at),
    termination_reason: row.termination_reason,
  };
}

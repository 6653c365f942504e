import type { AgentSession, DelegationEdge } from '@caracal/protocol';

/** A session row as `GET /zones/{z}/agents` answers it. */
export function sessionRow(id: string, parentId: string | null, fields: Partial<AgentSession> = {}): AgentSession {
  return {
    id,
    zone_id: 'zone_a',
    application_id: 'app_orchestrator',
    parent_id: parentId,
    root_id: id,
    status: 'active',
    depth: 0,
    kind: 'instance',
    capabilities: [],
    labels: {},
    metadata: {},
    scopes: null,
    resource_id: null,
    constraints: null,
    delegation_edge_id: null,
    live_children: 0,
    spawned_at: '2026-12-05T00:00:00.000Z',
    expires_at: null,
    suspended_at: null,
    terminated_at: null,
    termination_reason: null,
    ...fields,
  };
}

/** An edge row as `GET /zones/{z}/delegations` answers it. */
export function edgeRow(id: string, source: string, target: string, fields: Partial<DelegationEdge> = {}): DelegationEdge {
  return {
    id,
    zone_id: 'zone_a',
    source_session_id: source,
    target_session_id: target,
    issuer_application_id: 'app_orchestrator',
    receiver_application_id: 'app_orchestrator',
    parent_edge_id: null,
    scopes: ['tools:call'],
    resource_id: 'mcp://tools.local',
    constraints: { max_hops: 2 },
    max_hops: 2,
    budget_remaining: null,
    status: 'active',
    expires_at: '2026-12-05T01:00:00.000Z',
    created_at: '2026-12-05T00:00:00.000Z',
    revoked_at: null,
    edge_version: 1,
    origin: 'delegation',
    ...fields,
  };
}

import type { AgentSession, DelegationEdge, EdgeStatus, FeedEvent, SessionStatus } from '@caracal/protocol';

/** A session as the tree and the graph show it. */
export interface SessionView {
  id: string;
  parentId: string | null;
  applicationId: string;
  status: SessionStatus;
  depth: number;
  kind: string;
  /** The blueprint the session runs, when known. */
  blueprint: string | null;
  /** Its `name` label, when it has one. */
  label: string | null;
}

/** A delegation edge as the graph and the table show it. */
export interface EdgeView {
  id: string;
  source: string;
  target: string;
  parentEdgeId: string | null;
  scopes: string[];
  resourceId: string | null;
  constraints: Record<string, unknown> | null;
  expiresAt: string | null;
  status: EdgeStatus;
}

/**
 * Sessions and edges of the zone, with the indexes the views walk. Mutated in place by the feed
 * (a terminate of 500 sessions is 1,500 events: copying maps per event would be quadratic); the
 * `version` counter tells the views something changed.
 */
export interface AuthorityState {
  sessions: Map<string, SessionView>;
  edges: Map<string, EdgeView>;
  /** Children of each session id, in spawn order (ids are time-ordered). */
  children: Map<string, string[]>;
  /** Edges by their source session. */
  outbound: Map<string, string[]>;
  /** Edges by their target session. */
  inbound: Map<string, string[]>;
  version: number;
}

export function emptyAuthority(): AuthorityState {
  return { sessions: new Map(), edges: new Map(), children: new Map(), outbound: new Map(), inbound: new Map(), version: 0 };
}

export function sessionFromRow(row: AgentSession): SessionView {
  const blueprint = row.labels?.['blueprint'] ?? row.metadata?.['agent_name'];
  const label = row.labels?.['name'];
  return {
    id: row.id,
    parentId: row.parent_id,
    applicationId: row.application_id,
    status: row.status,
    depth: row.depth,
    kind: row.kind,
    blueprint: typeof blueprint === 'string' ? blueprint : null,
    label: typeof label === 'string' && label !== '' ? label : null,
  };
}

export function edgeFromRow(row: DelegationEdge): EdgeView {
  return {
    id: row.id,
    source: row.source_session_id,
    target: row.target_session_id,
    parentEdgeId: row.parent_edge_id,
    scopes: row.scopes,
    resourceId: row.resource_id,
    constraints: row.constraints as Record<string, unknown> | null,
    expiresAt: row.expires_at,
    status: row.status,
  };
}

/** Adds a session unless it is known (a feed event may race the list that already has it). */
export function addSession(state: AuthorityState, session: SessionView): boolean {
  if (state.sessions.has(session.id)) return false;
  state.sessions.set(session.id, session);
  if (session.parentId !== null) insertSorted(state.children, session.parentId, session.id);
  state.version += 1;
  return true;
}

export function addEdge(state: AuthorityState, edge: EdgeView): boolean {
  if (state.edges.has(edge.id)) return false;
  state.edges.set(edge.id, edge);
  insertSorted(state.outbound, edge.source, edge.id);
  insertSorted(state.inbound, edge.target, edge.id);
  state.version += 1;
  return true;
}

/** Names the blueprint of the sessions that run one (the Agent Coordinator's `agent_name`). */
export function setBlueprints(state: AuthorityState, blueprints: ReadonlyMap<string, string>): void {
  for (const [id, blueprint] of blueprints) {
    const session = state.sessions.get(id);
    if (session === undefined || session.blueprint === blueprint) continue;
    state.sessions.set(id, { ...session, blueprint });
    state.version += 1;
  }
}

/** Feed events that only move a session to a status. */
const SESSION_STATUS_EVENTS = new Map<string, SessionStatus>([
  ['session_terminated', 'terminated'],
  ['session_suspended', 'suspended'],
  ['session_resumed', 'active'],
]);

/** Feed events that only move an edge to a status. */
const EDGE_STATUS_EVENTS = new Map<string, EdgeStatus>([
  ['edge_revoke', 'revoked'],
  ['edge_expire', 'expired'],
]);

/**
 * Applies one zone-feed event (docs/events.md). Returns whether anything visible changed.
 * Unknown types and events about unknown ids change nothing: the cursor still moves past them.
 */
export function applyFeedEvent(state: AuthorityState, event: Pick<FeedEvent, 'type' | 'payload'>): boolean {
  const payload = (event.payload ?? {}) as Record<string, unknown>;
  if (event.type === 'session_spawned') return addSession(state, spawnedSession(payload));
  if (event.type === 'edge_create') return addEdge(state, createdEdge(payload));
  const sessionStatus = SESSION_STATUS_EVENTS.get(event.type);
  if (sessionStatus !== undefined) return setSessionStatus(state, payload['agent_session_id'], sessionStatus);
  const edgeStatus = EDGE_STATUS_EVENTS.get(event.type);
  if (edgeStatus !== undefined) return setEdgeStatus(state, payload['delegation_edge_id'], edgeStatus);
  return false;
}

function setSessionStatus(state: AuthorityState, id: unknown, status: SessionStatus): boolean {
  const session = typeof id === 'string' ? state.sessions.get(id) : undefined;
  // A terminated session never comes back (a late suspend/resume event cannot revive it).
  if (session === undefined || session.status === status || session.status === 'terminated') return false;
  state.sessions.set(session.id, { ...session, status });
  state.version += 1;
  return true;
}

function setEdgeStatus(state: AuthorityState, id: unknown, status: EdgeStatus): boolean {
  const edge = typeof id === 'string' ? state.edges.get(id) : undefined;
  if (edge === undefined || edge.status === status || edge.status !== 'active') return false;
  state.edges.set(edge.id, { ...edge, status });
  state.version += 1;
  return true;
}

function spawnedSession(payload: Record<string, unknown>): SessionView {
  return {
    id: String(payload['agent_session_id']),
    parentId: typeof payload['parent_id'] === 'string' ? payload['parent_id'] : null,
    applicationId: String(payload['application_id'] ?? ''),
    status: 'active',
    depth: typeof payload['depth'] === 'number' ? payload['depth'] : 0,
    kind: String(payload['kind'] ?? ''),
    blueprint: typeof payload['agent_name'] === 'string' ? payload['agent_name'] : null,
    label: labelName(payload['labels']),
  };
}

function labelName(labels: unknown): string | null {
  const name = typeof labels === 'object' && labels !== null ? (labels as Record<string, unknown>)['name'] : undefined;
  return typeof name === 'string' && name !== '' ? name : null;
}

function createdEdge(payload: Record<string, unknown>): EdgeView {
  return {
    id: String(payload['delegation_edge_id']),
    source: String(payload['source_session_id']),
    target: String(payload['target_session_id']),
    parentEdgeId: typeof payload['parent_edge_id'] === 'string' ? payload['parent_edge_id'] : null,
    scopes: Array.isArray(payload['scopes']) ? payload['scopes'].map(String) : [],
    resourceId: typeof payload['resource_id'] === 'string' ? payload['resource_id'] : null,
    constraints: isRecord(payload['constraints']) ? payload['constraints'] : null,
    expiresAt: typeof payload['expires_at'] === 'string' ? payload['expires_at'] : null,
    status: 'active',
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function insertSorted(index: Map<string, string[]>, key: string, id: string): void {
  const list = index.get(key);
  if (list === undefined) {
    index.set(key, [id]);
    return;
  }
  // Ids are time-ordered, so a new one almost always goes last.
  let at = list.length;
  while (at > 0 && list[at - 1]! > id) at -= 1;
  list.splice(at, 0, id);
}

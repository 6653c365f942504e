import { Type, type Static } from 'typebox';
import {
  AgentSessionId,
  Capabilities,
  Constraints,
  DelegationEdgeId,
  Labels,
  Metadata,
  ListQuery,
  Name,
  Page,
  ResourceId,
  Scopes,
  Seconds,
  Timestamp,
} from '../primitives.ts';
import { BlueprintName } from './blueprint-schemas.ts';
import { Nullable, StringEnum } from './schema-helpers.ts';

/** Bodies of `/zones/{zoneId}/agents…` and what they answer. */

export const SessionStatus = StringEnum(['active', 'suspended', 'terminated']);
export type SessionStatus = Static<typeof SessionStatus>;

export const SessionKind = StringEnum(['service', 'instance', 'ephemeral']);
export type SessionKind = Static<typeof SessionKind>;

/** The authority a spawn hands the new session; a bare mode string stands for `inherit` or `none`. */
export const SpawnGrant = Type.Union([
  StringEnum(['inherit', 'none']),
  Type.Object(
    {
      mode: StringEnum(['inherit', 'narrow', 'none']),
      scopes: Type.Optional(Scopes),
      resource_id: Type.Optional(ResourceId),
      constraints: Type.Optional(Constraints),
    },
    { additionalProperties: false },
  ),
]);
export type SpawnGrant = Static<typeof SpawnGrant>;

/** Fields of a spawn, shared by `POST /zones/{zoneId}/agents` and `POST /v1/begin`. */
export const spawnFields = {
  application_id: Type.Optional(Name),
  parent_id: Type.Optional(AgentSessionId),
  kind: Type.Optional(SessionKind),
  capabilities: Type.Optional(Capabilities),
  ttl_seconds: Type.Optional(Seconds),
  labels: Type.Optional(Labels),
  metadata: Type.Optional(Metadata),
  grant: Type.Optional(SpawnGrant),
  session_sid: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  /**
   * The parent's live inbound edge the child's inherited edge derives from; without it, the
   * parent's only one (several: 409 `ambiguous_parent_edge`). Needs `parent_id`.
   */
  parent_edge_id: Type.Optional(DelegationEdgeId),
  /**
   * A blueprint of the zone (`/agents/{name}`) the session runs: its grant is narrowed to the
   * blueprint's authority and the session records the name (`agent_name`). An inactive blueprint
   * is refused (409 `blueprint_inactive`).
   */
  blueprint: Type.Optional(BlueprintName),
  /** The seed project's name for `blueprint`; both may be sent only when they agree. */
  agent_name: Type.Optional(BlueprintName),
};

/** `POST /zones/{zoneId}/agents`: every field is optional, so a bare POST spawns with the defaults. */
export const SpawnSessionBody = Type.Object(spawnFields, { additionalProperties: false });
export type SpawnSessionBody = Static<typeof SpawnSessionBody>;

export const ListSessionsQuery = ListQuery({ status: SessionStatus, application_id: Name, parent_id: AgentSessionId });
export type ListSessionsQuery = Static<typeof ListSessionsQuery>;

export const ListChildrenQuery = ListQuery({ status: SessionStatus });
export type ListChildrenQuery = Static<typeof ListChildrenQuery>;

/** A session as reads and lists show it. */
export const AgentSession = Type.Object({
  id: AgentSessionId,
  zone_id: Name,
  application_id: Name,
  parent_id: Nullable(Type.String()),
  root_id: AgentSessionId,
  status: SessionStatus,
  depth: Type.Integer(),
  kind: Type.String(),
  capabilities: Type.Array(Type.String()),
  labels: Labels,
  metadata: Metadata,
  /** The session's ceiling; null = its application's scopes. */
  scopes: Nullable(Type.Array(Type.String())),
  resource_id: Nullable(Type.String()),
  constraints: Nullable(Constraints),
  delegation_edge_id: Nullable(Type.String()),
  live_children: Type.Integer(),
  spawned_at: Timestamp,
  expires_at: Nullable(Type.String()),
  suspended_at: Nullable(Type.String()),
  terminated_at: Nullable(Type.String()),
  termination_reason: Nullable(Type.String()),
});
export type AgentSession = Static<typeof AgentSession>;

export const AgentSessionPage = Page(AgentSession);
export type AgentSessionPage = Static<typeof AgentSessionPage>;

/**
 * The 201 of a spawn: the session's spawn-time fields, its id as `agent_session_id`;
 * `delegation_edge_id` is the edge inherited from the parent, or null.
 */
const { zone_id, application_id, parent_id, root_id, kind, status, depth, spawned_at, expires_at, delegation_edge_id, scopes, resource_id } =
  AgentSession.properties;
export const SpawnedSession = Type.Object({
  agent_session_id: AgentSessionId,
  zone_id, application_id, parent_id, root_id, kind, status, depth, spawned_at, expires_at, delegation_edge_id, scopes, resource_id,
});
export type SpawnedSession = Static<typeof SpawnedSession>;

export const SuspendResult = Type.Object({ suspended: Type.Integer() });
export type SuspendResult = Static<typeof SuspendResult>;

export const ResumeResult = Type.Object({ resumed: Type.Integer() });
export type ResumeResult = Static<typeof ResumeResult>;

export const TerminateResult = Type.Object({ terminated_sessions: Type.Integer(), revoked_edges: Type.Integer() });
export type TerminateResult = Static<typeof TerminateResult>;

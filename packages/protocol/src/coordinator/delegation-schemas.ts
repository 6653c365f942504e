import { Type, type Static } from 'typebox';
import { SCOPES_MAX_ITEMS } from '../limits.ts';
import {
  AgentSessionId,
  Constraints,
  DelegationEdgeId,
  ListQuery,
  Name,
  ResourceId,
  Scope,
  Seconds,
  Timestamp,
} from '../primitives.ts';
import { recordAnswers } from './record-answers.ts';
import { Nullable, StringEnum } from './schema-helpers.ts';

/** Bodies of `/zones/{zoneId}/delegations…` and what they answer. */

export const EdgeStatus = StringEnum(['active', 'revoked', 'expired']);
export type EdgeStatus = Static<typeof EdgeStatus>;

/**
 * Fields of an edge creation, shared by `POST /zones/{zoneId}/delegations` and `POST /v1/exchange`.
 * `constraints_json` is the `/v1` routes' name for `constraints`; `expires_at` and `ttl_seconds`
 * are alternatives.
 */
export const delegationFields = {
  source_session_id: AgentSessionId,
  target_session_id: AgentSessionId,
  issuer_application_id: Type.Optional(Name),
  receiver_application_id: Type.Optional(Name),
  scopes: Type.Array(Scope, { minItems: 1, maxItems: SCOPES_MAX_ITEMS, uniqueItems: true }),
  resource_id: Type.Optional(ResourceId),
  constraints: Type.Optional(Constraints),
  constraints_json: Type.Optional(Constraints),
  expires_at: Type.Optional(Timestamp),
  ttl_seconds: Type.Optional(Seconds),
  parent_edge_id: Type.Optional(DelegationEdgeId),
};

export const CreateDelegationBody = Type.Object(delegationFields, { additionalProperties: false });
export type CreateDelegationBody = Static<typeof CreateDelegationBody>;

export const ListDelegationsQuery = ListQuery({ source_session_id: AgentSessionId, target_session_id: AgentSessionId, status: EdgeStatus });
export type ListDelegationsQuery = Static<typeof ListDelegationsQuery>;

/** An edge as reads and lists show it; the 201 of a creation adds its id as `delegation_edge_id`. */
const edge = recordAnswers('delegation_edge_id', {
  id: DelegationEdgeId,
  zone_id: Name,
  source_session_id: AgentSessionId,
  target_session_id: AgentSessionId,
  issuer_application_id: Name,
  receiver_application_id: Name,
  parent_edge_id: Nullable(Type.String()),
  scopes: Type.Array(Type.String()),
  resource_id: Nullable(Type.String()),
  constraints: Constraints,
  max_hops: Nullable(Type.Integer()),
  budget_remaining: Nullable(Type.Integer()),
  status: EdgeStatus,
  expires_at: Timestamp,
  created_at: Timestamp,
  revoked_at: Nullable(Type.String()),
  edge_version: Type.Integer(),
  /** `delegation` for an explicit edge, `spawn` for one a child inherited from its parent. */
  origin: Type.String(),
});

export const DelegationEdge = edge.record;
export type DelegationEdge = Static<typeof DelegationEdge>;
export const DelegationEdgePage = edge.page;
export type DelegationEdgePage = Static<typeof DelegationEdgePage>;
export const CreatedDelegation = edge.created;
export type CreatedDelegation = Static<typeof CreatedDelegation>;

/** One edge of a chain; depth 0 is the root edge. */
export const DelegationChainLink = Type.Object({
  depth: Type.Integer(),
  id: DelegationEdgeId,
  source_session_id: AgentSessionId,
  target_session_id: AgentSessionId,
  status: EdgeStatus,
});
export type DelegationChainLink = Static<typeof DelegationChainLink>;

/** `GET …/delegations/{id}/traverse`: the edge's chain from the root to the leaves. */
export const DelegationChain = Type.Object({ items: Type.Array(DelegationChainLink) });
export type DelegationChain = Static<typeof DelegationChain>;

export const RevokeDelegationResult = Type.Object({ revoked_edges: Type.Integer(), affected_sessions: Type.Integer() });
export type RevokeDelegationResult = Static<typeof RevokeDelegationResult>;

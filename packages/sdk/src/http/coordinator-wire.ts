/**
 * Coordinator request bodies as they go on the wire
 * (docs/decisions/2026-12-04-wire-conventions.md): snake_case, optional fields
 * left out rather than sent as null.
 */

/** `constraints` of a grant or a delegation edge. @internal */
export interface WireConstraints {
  ttl_seconds?: number;
  max_hops?: number;
  budget?: number;
  policy_approved?: boolean;
}

/** `grant` of `POST /zones/{zoneId}/agents`. @internal */
export interface WireGrant {
  mode: 'inherit' | 'narrow' | 'none';
  scopes?: string[];
  resource_id?: string;
  constraints?: WireConstraints;
}

/** Body of `POST /zones/{zoneId}/agents`. @internal */
export interface WireCreateAgentSession {
  application_id?: string;
  parent_id?: string;
  kind?: string;
  capabilities?: string[];
  ttl_seconds?: number;
  labels?: Record<string, string>;
  metadata?: Record<string, unknown>;
  grant?: WireGrant;
}

/** Body of `POST /zones/{zoneId}/delegations`. @internal */
export interface WireCreateDelegation {
  source_session_id: string;
  target_session_id: string;
  issuer_application_id?: string;
  receiver_application_id?: string;
  scopes: string[];
  resource_id?: string;
  constraints?: WireConstraints;
  expires_at?: string;
  ttl_seconds?: number;
  parent_edge_id?: string;
}

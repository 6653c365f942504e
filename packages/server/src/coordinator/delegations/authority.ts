import type { Constraints as ConstraintsSchema } from '@caracal/protocol';
import type { Static } from 'typebox';

/**
 * What a session may hand on: the bounds any edge it creates must stay within. It comes from the
 * edge the session acts under, or, without one, from the session's own ceiling.
 */
export interface Authority {
  /** The scopes held; `undefined` when the Coordinator cannot know them (see `sessionAuthority`). */
  scopes: readonly string[] | undefined;
  resourceId: string | null;
  /** The most `max_hops` the next edge may carry; null = unbounded, 0 = no further delegation. */
  nextMaxHops: number | null;
  budgetRemaining: number | null;
  /** Milliseconds since the epoch; null = unbounded. */
  expiresAt: number | null;
  mandateTtlSeconds: number | null;
  policyApproved: boolean | null;
  /** The edge this authority flows through, recorded as the new edge's parent. */
  edgeId: string | null;
}

/** Caveats as stored in `constraints` jsonb: the wire's `constraints`. */
export type Constraints = Static<typeof ConstraintsSchema>;

export interface EdgeAuthorityRow {
  id: string;
  scopes: string[];
  resource_id: string | null;
  constraints: Constraints;
  max_hops: number | null;
  budget_remaining: number | null;
  expires_at: Date;
}

export interface SessionAuthorityRow {
  scopes: string[] | null;
  resource_id: string | null;
  constraints: Constraints | null;
  expires_at: Date | null;
}

/** Authority handed on through `edge` by a session that itself ends at `sessionExpiresAt`. */
export function edgeAuthority(edge: EdgeAuthorityRow, sessionExpiresAt: Date | null): Authority {
  return {
    scopes: edge.scopes,
    resourceId: edge.resource_id,
    nextMaxHops: edge.max_hops === null ? null : edge.max_hops - 1,
    budgetRemaining: edge.budget_remaining,
    expiresAt: earliest(edge.expires_at.getTime(), sessionExpiresAt?.getTime() ?? null),
    mandateTtlSeconds: edge.constraints.ttl_seconds ?? null,
    policyApproved: edge.constraints.policy_approved ?? null,
    edgeId: edge.id,
  };
}

/**
 * Authority of a session acting without an edge. A NULL ceiling means its application's scopes,
 * which the Coordinator knows only as the caller's own (`applicationScopes`, undefined when an
 * admin acts for another application).
 */
export function sessionAuthority(session: SessionAuthorityRow, applicationScopes: readonly string[] | undefined): Authority {
  const constraints = session.constraints ?? {};
  return {
    scopes: session.scopes ?? applicationScopes,
    resourceId: session.resource_id,
    nextMaxHops: constraints.max_hops ?? null,
    budgetRemaining: constraints.budget ?? null,
    expiresAt: session.expires_at?.getTime() ?? null,
    mandateTtlSeconds: constraints.ttl_seconds ?? null,
    policyApproved: constraints.policy_approved ?? null,
    edgeId: null,
  };
}

export function earliest(left: number | null, right: number | null): number | null {
  if (left === null) return right;
  if (right === null) return left;
  return Math.min(left, right);
}

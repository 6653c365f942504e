import { EDGE_LIFETIME_MAX_SECONDS, type ServerErrorCode } from '@caracal/protocol';
import { badRequest, ServerError } from '../../http/server-error.ts';
import { earliest, type Authority, type Constraints } from './authority.ts';

/** How long an edge lives when nothing shorter bounds it. */
export const DEFAULT_EDGE_SECONDS = 24 * 60 * 60;

/** What a caller asks an edge (or a narrow grant) to carry. */
export interface RequestedTerms {
  /** Omitted: everything the authority holds. */
  scopes?: readonly string[];
  resourceId?: string;
  constraints?: Constraints;
  /** Milliseconds since the epoch. */
  expiresAt?: number;
}

/** The terms a new edge is recorded with. */
export interface EdgeTerms {
  scopes: string[];
  resourceId: string | null;
  constraints: Constraints;
  maxHops: number | null;
  budgetRemaining: number | null;
  expiresAt: number;
  parentEdgeId: string | null;
}

const exceeded = (description: string, code: ServerErrorCode = 'authority_exceeded'): ServerError => new ServerError(403, code, description);

/**
 * A child edge may only narrow what it derives from — scopes ⊆, expiry ≤, resource within,
 * `max_hops` one less, `budget` ≤ what is left (docs/decisions/2026-12-04-delegation-semantics.md).
 * Throws a 403 naming the bound broken.
 */
export function narrowAuthority(authority: Authority, requested: RequestedTerms, now: number): EdgeTerms {
  const held = authority.scopes;
  const scopes = requested.scopes === undefined ? [...(held ?? [])] : [...requested.scopes];
  if (held !== undefined) {
    const missing = scopes.filter((scope) => !held.includes(scope));
    if (missing.length > 0) throw exceeded(`scopes not held by the delegating session: ${missing.join(' ')}`);
  }
  let resourceId = requested.resourceId ?? null;
  if (authority.resourceId !== null) {
    if (resourceId !== null && resourceId !== authority.resourceId) {
      throw exceeded(`the authority is limited to resource ${authority.resourceId}`);
    }
    resourceId = authority.resourceId;
  }
  if (authority.nextMaxHops !== null && authority.nextMaxHops < 1) {
    throw exceeded('max_hops of the delegation chain is exhausted', 'max_hops_exceeded');
  }
  const asked = requested.constraints ?? {};
  const maxHops = atMost(asked.max_hops, authority.nextMaxHops, 'max_hops');
  const budgetRemaining = atMost(asked.budget, authority.budgetRemaining, 'budget');
  const mandateTtl = atMost(asked.ttl_seconds, authority.mandateTtlSeconds, 'ttl_seconds');
  const bound = earliest(authority.expiresAt, now + DEFAULT_EDGE_SECONDS * 1000)!;
  const expiresAt = requested.expiresAt ?? bound;
  if (expiresAt <= now) throw badRequest('the expiry must be in the future');
  if (expiresAt > now + EDGE_LIFETIME_MAX_SECONDS * 1000) {
    throw new ServerError(400, 'lifetime_exceeded', `an edge lives at most ${EDGE_LIFETIME_MAX_SECONDS} seconds (EDGE_LIFETIME_MAX_SECONDS)`);
  }
  if (authority.expiresAt !== null && expiresAt > authority.expiresAt) {
    throw exceeded(`the expiry may not pass the authority's own (${new Date(authority.expiresAt).toISOString()})`);
  }
  const policyApproved = asked.policy_approved ?? authority.policyApproved;
  // An attestation only narrows too: what an upstream delegator marked not approved stays so.
  if (policyApproved === true && authority.policyApproved === false) throw exceeded('policy_approved is false upstream; a child cannot approve');
  const constraints: Constraints = {};
  if (mandateTtl !== null) constraints.ttl_seconds = mandateTtl;
  if (maxHops !== null) constraints.max_hops = maxHops;
  if (budgetRemaining !== null) constraints.budget = budgetRemaining;
  if (policyApproved !== null) constraints.policy_approved = policyApproved;
  return { scopes, resourceId, constraints, maxHops, budgetRemaining, expiresAt, parentEdgeId: authority.edgeId };
}

/** `requested` if within `limit`, else a 403; with nothing requested, the limit itself. */
function atMost(requested: number | undefined, limit: number | null, name: string): number | null {
  if (requested === undefined) return limit;
  if (limit !== null && requested > limit) throw exceeded(`${name} ${requested} exceeds the ${limit} still allowed`);
  return requested;
}

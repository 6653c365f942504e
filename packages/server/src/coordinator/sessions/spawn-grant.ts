import type { SpawnGrant } from '@caracal/protocol';
import { ServerError, badRequest } from '../../http/server-error.ts';
import { earliest, type Authority, type Constraints } from '../delegations/authority.ts';
import { DEFAULT_EDGE_SECONDS, narrowAuthority, type EdgeTerms } from '../delegations/narrow-authority.ts';

/** What a new session starts with. */
export interface SessionGrant {
  /** The ceiling recorded on the session; null = its application's scopes. */
  scopes: string[] | null;
  resourceId: string | null;
  constraints: Constraints | null;
  /** The edge parent → child, for child sessions that inherit or narrow. */
  edge: EdgeTerms | undefined;
}

/**
 * Spawn grant modes. A root session needs no edge: `inherit` keeps its application's scopes
 * (ceiling NULL), `narrow` records a subset as its ceiling, `none` records an empty one. A child
 * gets an edge from its parent carrying the parent's authority (`inherit`) or a narrowed part of
 * it (`narrow`), and its ceiling matches the edge; `none` gives it nothing.
 */
export function resolveSpawnGrant(input: {
  grant: SpawnGrant | undefined;
  /** The parent's authority; undefined for a root session. */
  parentAuthority: Authority | undefined;
  /** The caller's scopes (its application's), without the lifecycle and admin scopes. */
  applicationScopes: readonly string[];
  /** The ceiling a root `inherit` session records (see `inheritedRootCeiling`); default NULL. */
  inheritedRootCeiling?: string[] | null;
  now: number;
  sessionExpiresAt: number | null;
}): SessionGrant {
  const grant = typeof input.grant === 'string' || input.grant === undefined ? { mode: input.grant ?? 'inherit' } : input.grant;
  const narrowing = grant.mode === 'narrow' ? grant : undefined;
  if (narrowing === undefined && 'scopes' in grant && grant.scopes !== undefined) {
    throw badRequest(`grant.scopes only applies to grant mode narrow`);
  }
  if (narrowing !== undefined && (narrowing.scopes === undefined || narrowing.scopes.length === 0)) {
    throw badRequest('a narrow grant lists at least one scope (use grant mode none for no authority)');
  }
  if (grant.mode === 'none') return { scopes: [], resourceId: null, constraints: null, edge: undefined };
  const parent = input.parentAuthority;
  if (parent === undefined) {
    if (narrowing === undefined) return { scopes: input.inheritedRootCeiling ?? null, resourceId: null, constraints: null, edge: undefined };
    const missing = narrowing.scopes!.filter((scope) => !input.applicationScopes.includes(scope));
    if (missing.length > 0) {
      throw new ServerError(403, 'authority_exceeded', `scopes not granted to the application: ${missing.join(' ')}`);
    }
    return {
      scopes: [...narrowing.scopes!],
      resourceId: narrowing.resource_id ?? null,
      constraints: narrowing.constraints ?? null,
      edge: undefined,
    };
  }
  if (narrowing === undefined && parent.scopes !== undefined && parent.scopes.length === 0) {
    return { scopes: [], resourceId: null, constraints: null, edge: undefined };
  }
  // An inherited edge never outlives the child session or the parent's authority.
  const expiresAt = earliest(earliest(input.sessionExpiresAt, parent.expiresAt), input.now + DEFAULT_EDGE_SECONDS * 1000)!;
  const edge = narrowAuthority(
    parent,
    { scopes: narrowing?.scopes, resourceId: narrowing?.resource_id, constraints: narrowing?.constraints, expiresAt },
    input.now,
  );
  return { scopes: edge.scopes, resourceId: edge.resourceId, constraints: edge.constraints, edge };
}

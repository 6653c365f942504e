import type { Queryable } from '../../db/database.ts';
import { badRequest, conflict } from '../../http/server-error.ts';
import type { SessionRow } from '../sessions/session-row.ts';
import { inZone } from '../shared/in-zone.ts';
import { edgeAuthority, sessionAuthority, type Authority } from './authority.ts';
import { findEdge, liveInboundEdges } from './edge-repository.ts';
import { isLive, type EdgeRow } from './edge-row.ts';

/** What a new edge from a session derives from, and how that was decided. */
export interface Derivation {
  /** The edge it derives from; null = the session's own ceiling. */
  parentEdge: EdgeRow | null;
  /**
   * How many live inbound edges the source held when the parent was worked out without being
   * named (0 or 1); null when the request named it. The write re-checks it under the zone lock.
   */
  inboundEdgesSeen: number | null;
}

/**
 * The one derivation rule (docs/decisions/2026-12-04-edge-derivation.md): an edge created by a
 * session that holds live inbound edges derives from the one named in `parent_edge_id`, else from
 * the only one; several and none named is a 409 `ambiguous_parent_edge`. A session with no live
 * inbound edge delegates its own ceiling. Narrowing, `traverse`, the revocation cascade and the
 * STS lineage all read the `parent_edge_id` recorded from this.
 */
export async function deriveParentEdge(
  database: Queryable,
  source: SessionRow,
  named: string | undefined,
  now: number,
): Promise<Derivation> {
  if (named !== undefined) {
    const parentEdge = inZone(await findEdge(database, named), source.zone_id, `delegation edge ${named}`);
    if (parentEdge.target_session_id !== source.id) {
      throw badRequest(`parent edge ${parentEdge.id} does not delegate to session ${source.id}`);
    }
    if (!isLive(parentEdge, now)) throw conflict(`parent edge ${parentEdge.id} is no longer active`, 'edge_not_active');
    return { parentEdge, inboundEdgesSeen: null };
  }
  const inbound = await liveInboundEdges(database, source.id, now, 3);
  if (inbound.length > 1) {
    const listed = inbound.map((edge) => edge.id).join(', ');
    throw conflict(
      `session ${source.id} holds several live inbound edges (${listed}${inbound.length > 2 ? ', …' : ''}); name the one to derive from in parent_edge_id`,
      'ambiguous_parent_edge',
    );
  }
  return { parentEdge: inbound[0] ?? null, inboundEdgesSeen: inbound.length };
}

/**
 * What `source` may hand on through `derivation`: the parent edge's authority, or the session's
 * own ceiling (`ownScopes` = its application's scopes when the caller is that application).
 */
export function derivedAuthority(source: SessionRow, derivation: Derivation, ownScopes: readonly string[] | undefined): Authority {
  return derivation.parentEdge === null ? sessionAuthority(source, ownScopes) : edgeAuthority(derivation.parentEdge, source.expires_at);
}

import type { CaracalContext } from '../../model/caracal-context.ts';
import { MAX_HOP } from '../../model/caracal-context.ts';
import { freezeContext } from '../../context/validate-context.ts';
import { CaracalError } from '../../errors.ts';
import type { CaracalLineage } from '../../propagation/lineage.ts';
import { traceFields } from './context-from-claims.ts';
import type { MandateClaims } from './mandate-claims.ts';
import { refuseMandate } from './mandate-refusal.ts';
import type { RevocationStore } from '../revocation/revocation-store.ts';

/**
 * An edge named in the caller's baggage that its verified mandate does not vouch for.
 * @since 0.1.0
 */
export interface EdgeCandidate {
  readonly edgeId: string;
  /** The session the edge is said to target (baggage `caracal.agent_session`): one of the receiver's. */
  readonly agentSessionId: string;
  /** The caller's verified claims. */
  readonly caller: MandateClaims;
}

/**
 * The receiver's own credentials, for acting under a delegation edge that targets one of its
 * sessions (docs/architecture.md, "The cross-application rule"). See docs/verify.md.
 * @since 0.1.0
 */
export interface ActAsOptions {
  /** The receiver's application (OAuth client id). */
  readonly clientId: string;
  /** The receiver's own session mandate, or a function returning it (called per request; cache on your side). */
  readonly subjectToken?: string;
  readonly tokenSource?: () => string | Promise<string>;
  /**
   * Decides whether an edge the caller's mandate does not vouch for may be adopted, typically by
   * looking it up at the Coordinator and checking that its source is the caller's verified
   * session. Without it, only edges in the caller's verified `delegation_path` are adopted.
   */
  readonly trustEdge?: (candidate: EdgeCandidate) => boolean | Promise<boolean>;
}

/**
 * The edge a receiver adopted, and why it trusted it.
 * @since 0.1.0
 */
export interface ActingUnder {
  readonly edgeId: string;
  readonly agentSessionId: string;
  /** `verified`: the edge is in the caller's signed delegation path. `trusted`: `trustEdge` approved it. */
  readonly basis: 'verified' | 'trusted';
}

interface Adoption {
  readonly actingUnder: ActingUnder;
  readonly parentEdgeId: string | undefined;
  readonly hop: number;
}

async function adopt(claims: MandateClaims, lineage: CaracalLineage | null, actAs: ActAsOptions): Promise<Adoption | undefined> {
  const edgeId = lineage?.delegationEdgeId;
  if (edgeId === undefined) return undefined;
  const path = claims.delegation_path;
  const isLeaf = edgeId === claims.delegation_edge_id;
  const index = isLeaf ? path.length - 1 : path.indexOf(edgeId);
  if (isLeaf || index >= 0) {
    // Signed by the STS for this very caller. The session it targets comes from the claims when
    // the edge is the leaf, from baggage otherwise (the STS checks it at exchange time).
    const agentSessionId = isLeaf ? (claims.agent_session_id ?? lineage?.agentSessionId) : lineage?.agentSessionId;
    if (agentSessionId === undefined) return undefined;
    return { actingUnder: { edgeId, agentSessionId, basis: 'verified' }, parentEdgeId: index > 0 ? path[index - 1] : undefined, hop: claims.hop_count };
  }
  const agentSessionId = lineage?.agentSessionId;
  if (agentSessionId === undefined || actAs.trustEdge === undefined) return undefined;
  if ((await actAs.trustEdge({ edgeId, agentSessionId, caller: claims })) !== true) return undefined;
  return { actingUnder: { edgeId, agentSessionId, basis: 'trusted' }, parentEdgeId: claims.delegation_edge_id, hop: claims.hop_count + 1 };
}

async function receiverToken(actAs: ActAsOptions): Promise<string> {
  const token = actAs.tokenSource === undefined ? actAs.subjectToken : await actAs.tokenSource();
  if (typeof token !== 'string' || token.length === 0) {
    throw new CaracalError('CONFIG_INVALID', 'actAs needs subjectToken or a tokenSource returning the receiver\'s session mandate.', { settings: ['actAs.subjectToken', 'actAs.tokenSource'] });
  }
  return token;
}

/**
 * Builds the receiver's context after the caller's mandate was verified: the receiver's own
 * credentials, and — when the caller's baggage names a delegation edge that is vouched for —
 * that edge and the session it targets. Nothing from baggage grants anything by itself: an edge
 * is adopted only when it is in the caller's signed `delegation_path` or `trustEdge` approves it,
 * and the STS re-checks edge, session and ownership at every exchange.
 * @internal
 */
export async function actAsReceiver(
  claims: MandateClaims,
  lineage: CaracalLineage | null,
  actAs: ActAsOptions,
  store: RevocationStore | undefined,
): Promise<{ context: CaracalContext; actingUnder: ActingUnder | undefined }> {
  const [subjectToken, adoption] = await Promise.all([receiverToken(actAs), adopt(claims, lineage, actAs)]);
  if (adoption !== undefined) {
    const { edgeId, agentSessionId } = adoption.actingUnder;
    const revokedId = store?.findRevoked({ sessionId: agentSessionId, edgeIds: [edgeId] });
    if (revokedId !== undefined) throw new CaracalError('MANDATE_REVOKED', `The delegation to act under was revoked (${revokedId}).`, { status: 401, serverCode: 'revoked' });
    if (adoption.hop > MAX_HOP) throw refuseMandate('hop_limit', `Acting under ${edgeId} would be hop ${adoption.hop}; the limit is ${MAX_HOP}.`);
  }
  const context = freezeContext({
    subjectToken,
    zoneId: claims.zone_id,
    clientId: actAs.clientId,
    agentSessionId: adoption?.actingUnder.agentSessionId,
    delegationEdgeId: adoption?.actingUnder.edgeId,
    parentEdgeId: adoption?.parentEdgeId,
    hop: adoption?.hop ?? claims.hop_count,
    ...traceFields(lineage),
  });
  return { context, actingUnder: adoption?.actingUnder };
}

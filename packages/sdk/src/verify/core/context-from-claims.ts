import type { CaracalContext } from '../../model/caracal-context.ts';
import { freezeContext } from '../../context/validate-context.ts';
import type { CaracalLineage } from '../../propagation/lineage.ts';
import type { MandateClaims } from './mandate-claims.ts';

/** The lineage fields a receiver may take from headers: trace state and foreign baggage, which grant nothing. @internal */
export type TraceFields = Pick<CaracalContext, 'traceId' | 'traceFlags' | 'traceState' | 'baggage'>;

/**
 * Trace id, flags, state and foreign baggage from the (untrusted) lineage. Caracal's own baggage
 * members (`caracal.*`) are never copied: `extract()` already separates them from `baggage`, and
 * they are ignored here.
 * @internal
 */
export function traceFields(lineage: CaracalLineage | null): TraceFields {
  if (lineage === null) return {};
  const fields: { -readonly [Key in keyof TraceFields]: TraceFields[Key] } = { traceId: lineage.traceId, traceFlags: lineage.traceFlags };
  if (lineage.traceState !== undefined) fields.traceState = lineage.traceState;
  if (Object.keys(lineage.baggage).length > 0) fields.baggage = lineage.baggage;
  return fields;
}

/**
 * The caller's context, rebuilt from VERIFIED claims only: the token itself as subject token,
 * zone, client, session, edge, parent edge (the second-to-last edge of `delegation_path`) and
 * hop. Headers contribute trace state and foreign baggage, nothing else.
 * @internal
 */
export function contextFromClaims(token: string, claims: MandateClaims, lineage: CaracalLineage | null): CaracalContext {
  const path = claims.delegation_path;
  return freezeContext({
    subjectToken: token,
    zoneId: claims.zone_id,
    clientId: claims.client_id,
    agentSessionId: claims.agent_session_id,
    delegationEdgeId: claims.delegation_edge_id,
    parentEdgeId: path.length >= 2 ? path[path.length - 2] : undefined,
    hop: claims.hop_count,
    ...traceFields(lineage),
  });
}

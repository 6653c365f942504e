import { MAX_HOP, type ActorClaim as SignedActorClaim, type MandateClaims as SignedMandateClaims } from '@caracal/protocol';
import { refuseMandate } from './mandate-refusal.ts';

/**
 * RFC 8693 actor claim: who acts, and (nested) for whom that actor acted. Read as signed, and
 * unchecked beyond the signature, hence every field optional.
 * @since 0.1.0
 */
export interface ActorClaim extends Readonly<Partial<Omit<SignedActorClaim, 'act'>>> {
  readonly act?: ActorClaim;
  readonly [claim: string]: unknown;
}

/**
 * The claims of a verified Caracal mandate, exactly as the STS signed them (the claim set is the
 * server's, shared through the wire contract). `delegation_path` and `hop_count` are always
 * present: empty and 0 when the mandate carries no delegation.
 * @since 0.1.0
 */
export interface MandateClaims extends Readonly<Omit<SignedMandateClaims, 'aud' | 'nbf' | 'use' | 'delegation_path' | 'hop_count' | 'act'>> {
  /** The resource identifier(s) the mandate is bound to. */
  readonly aud: string | readonly string[];
  readonly nbf?: number;
  /** `call` for per-call mandates, `session` for session mandates (not narrowed: read as signed). */
  readonly use: string;
  /** Edge ids from the root to the leaf (the leaf is `delegation_edge_id`). */
  readonly delegation_path: readonly string[];
  readonly hop_count: number;
  readonly act?: ActorClaim;
  readonly [claim: string]: unknown;
}

function text(payload: Record<string, unknown>, claim: string, required: boolean): string | undefined {
  const value = payload[claim];
  if (value === undefined || value === null) {
    if (required) throw refuseMandate('malformed', `The mandate has no "${claim}" claim.`);
    return undefined;
  }
  if (typeof value !== 'string' || (required && value.length === 0)) {
    throw refuseMandate('malformed', `The mandate's "${claim}" claim must be a non-empty string.`);
  }
  return value.length === 0 ? undefined : value;
}

function path(payload: Record<string, unknown>): readonly string[] {
  const value = payload['delegation_path'];
  if (value === undefined || value === null) return Object.freeze([]);
  if (!Array.isArray(value) || !value.every((edge) => typeof edge === 'string' && edge.length > 0)) {
    throw refuseMandate('malformed', 'The mandate\'s "delegation_path" claim must be an array of edge ids.');
  }
  return Object.freeze([...(value as string[])]);
}

function hopCount(payload: Record<string, unknown>): number {
  const value = payload['hop_count'];
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_HOP) {
    throw refuseMandate('malformed', `The mandate's "hop_count" claim must be an integer from 0 to ${MAX_HOP}.`);
  }
  return value;
}

/**
 * Checks the shape of a payload whose signature, issuer, audience and times jose has already
 * verified, and returns it typed and frozen. Missing or mistyped Caracal claims are `malformed`:
 * the STS always writes them, so their absence means the token is not a Caracal mandate.
 * @internal
 */
export function readMandateClaims(payload: Record<string, unknown>): MandateClaims {
  for (const claim of ['iss', 'sub', 'jti', 'client_id', 'zone_id', 'use']) text(payload, claim, true);
  for (const claim of ['exp', 'iat']) {
    if (typeof payload[claim] !== 'number') throw refuseMandate('malformed', `The mandate's "${claim}" claim must be a number.`);
  }
  if (typeof payload['scope'] !== 'string') throw refuseMandate('malformed', 'The mandate\'s "scope" claim must be a string.');
  const agentSessionId = text(payload, 'agent_session_id', false);
  const delegationEdgeId = text(payload, 'delegation_edge_id', false);
  const delegationPath = path(payload);
  if (delegationEdgeId !== undefined && delegationPath.length > 0 && delegationPath.at(-1) !== delegationEdgeId) {
    throw refuseMandate('malformed', 'The mandate\'s "delegation_path" does not end with its "delegation_edge_id".');
  }
  const claims: Record<string, unknown> = { ...payload, delegation_path: delegationPath, hop_count: hopCount(payload) };
  if (agentSessionId === undefined) delete claims['agent_session_id'];
  if (delegationEdgeId === undefined) delete claims['delegation_edge_id'];
  return Object.freeze(claims) as MandateClaims;
}

/** The scopes of a mandate as a set. @internal */
export function scopeSet(claims: Pick<MandateClaims, 'scope'>): ReadonlySet<string> {
  return new Set(claims.scope.split(' ').filter((scope) => scope.length > 0));
}

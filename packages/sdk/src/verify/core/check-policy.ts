import { refuseMandate } from './mandate-refusal.ts';
import { scopeSet, type MandateClaims } from './mandate-claims.ts';

/** The receiver's rules a verified mandate must also meet. @internal */
export interface MandatePolicy {
  readonly zoneId: string;
  readonly acceptedUses: readonly string[];
  readonly requiredScopes: readonly string[];
  readonly requireAgent: boolean;
  readonly requireDelegation: boolean;
  readonly maxHops: number;
}

/**
 * Checks zone, use, scopes, agent and delegation presence, and hop count; throws the
 * `MANDATE_INVALID` refusal for the first rule broken.
 * @internal
 */
export function checkPolicy(claims: MandateClaims, policy: MandatePolicy): void {
  if (claims.zone_id !== policy.zoneId) {
    throw refuseMandate('wrong_zone', `The mandate belongs to zone "${claims.zone_id}", not "${policy.zoneId}".`);
  }
  if (!policy.acceptedUses.includes(claims.use)) {
    throw refuseMandate('wrong_use', `The mandate's use is "${claims.use}"; this receiver accepts ${policy.acceptedUses.map((use) => `"${use}"`).join(' or ')}.`);
  }
  const granted = scopeSet(claims);
  const missing = policy.requiredScopes.filter((scope) => !granted.has(scope));
  if (missing.length > 0) {
    const error = refuseMandate('insufficient_scope', `The mandate lacks the scope${missing.length > 1 ? 's' : ''} ${missing.join(' ')}.`);
    Object.defineProperty(error, 'requiredScopes', { value: Object.freeze([...policy.requiredScopes]), enumerable: true });
    throw error;
  }
  if (policy.requireAgent && claims.agent_session_id === undefined) {
    throw refuseMandate('agent_required', 'This receiver only accepts mandates issued to an agent session (agent_session_id).');
  }
  if (policy.requireDelegation && claims.delegation_edge_id === undefined) {
    throw refuseMandate('delegation_required', 'This receiver only accepts mandates issued under a delegation (delegation_edge_id).');
  }
  if (claims.hop_count > policy.maxHops) {
    throw refuseMandate('hop_limit', `The mandate is ${claims.hop_count} hops deep; this receiver allows at most ${policy.maxHops}.`);
  }
}

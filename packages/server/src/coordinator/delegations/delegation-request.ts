import type { CreateDelegationBody } from '@caracal/protocol';
import { badRequest } from '../../http/server-error.ts';
import type { SessionRow } from '../sessions/session-row.ts';
import { endFromRequest } from '../shared/time.ts';
import type { RequestedTerms } from './narrow-authority.ts';

/**
 * The terms a delegation request asks for: `constraints` (or its `/v1` alias
 * `constraints_json`; both at once must agree) and `expires_at` or `ttl_seconds`, not both.
 */
export function requestedTerms(body: CreateDelegationBody, now: number): RequestedTerms {
  const expiresAt = endFromRequest(body.expires_at, body.ttl_seconds, ['expires_at', 'ttl_seconds'], now);
  if (body.constraints !== undefined && body.constraints_json !== undefined) {
    if (JSON.stringify(body.constraints) !== JSON.stringify(body.constraints_json)) {
      throw badRequest('constraints and constraints_json disagree; send one');
    }
  }
  const constraints = body.constraints ?? body.constraints_json;
  return { scopes: body.scopes, resourceId: body.resource_id, constraints, expiresAt };
}

/** The optional application ids of the body must name the sessions' owners. */
export function checkApplications(body: CreateDelegationBody, source: SessionRow, target: SessionRow): void {
  if (body.issuer_application_id !== undefined && body.issuer_application_id !== source.application_id) {
    throw badRequest(`issuer_application_id ${body.issuer_application_id} does not own the source session`);
  }
  if (body.receiver_application_id !== undefined && body.receiver_application_id !== target.application_id) {
    throw badRequest(`receiver_application_id ${body.receiver_application_id} does not own the target session`);
  }
}

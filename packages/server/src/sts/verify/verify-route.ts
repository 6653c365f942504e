import { ErrorBody, VerifyBody, VerifyFields, VerifyResponse, withoutSeedNulls, type MandateClaims } from '@caracal/protocol';
import { missingScopes } from '../http/scopes.ts';
import { stsLogSerializers } from '../http/log-redaction.ts';
import { rateLimited } from '../http/oauth-error.ts';
import { treatMissingBodyAsEmpty } from '../../http/optional-body.ts';
import { TokenBucketLimiter } from '../http/token-bucket.ts';
import { MandateRejectedError, verifyMandate } from '../mandates/verify-mandate.ts';
import type { StsRuntime } from '../sts-runtime.ts';
import { readRevocationState } from './revocation-repository.ts';
import { readVerifyRequest, type VerifyRequest } from './verify-request.ts';
import type { RoutePlugin } from '../../http/route-plugin.ts';

/** 60 requests per minute per client IP (docs/decisions/2026-12-04-v1-compatibility-routes.md). */
const REQUESTS_PER_MINUTE = 60;

/**
 * `POST /v1/verify`: synchronous mandate validation for services that cannot keep the zone JWKS
 * (short-lived workers, serverless). Signature, issuer, time and use (per-call mandates only),
 * then revocation state from the database, then the caller's requirements
 * (docs/decisions/2026-12-04-verify-and-attestation-semantics.md).
 */
export const verifyRoute: RoutePlugin<{ runtime: StsRuntime }> = async (app, { runtime }) => {
  const limiter = new TokenBucketLimiter({ capacity: REQUESTS_PER_MINUTE, refillMilliseconds: 60_000, now: runtime.context.now });
  app.post(
    '/v1/verify',
    {
      logSerializers: stsLogSerializers,
      schema: { body: VerifyBody, response: { 200: VerifyResponse, '4xx': ErrorBody } },
      // The token may come as a bearer header alone.
      preValidation: treatMissingBodyAsEmpty,
      // Before the body is read: throttled callers cost nothing.
      onRequest: async (request) => {
        const decision = limiter.take(request.ip);
        if (!decision.allowed) throw rateLimited('verify is limited to 60 requests per minute per IP', decision.retryAfterSeconds);
      },
    },
    async (request): Promise<VerifyResponse> => verify(runtime, readVerifyRequest(withoutSeedNulls(VerifyFields, request.body), request.headers.authorization)),
  );
};

async function verify(runtime: StsRuntime, request: VerifyRequest): Promise<VerifyResponse> {
  let claims: MandateClaims;
  try {
    claims = await verifyMandate(request.token, {
      keyStore: runtime.keyStore,
      issuer: runtime.context.config.issuer,
      now: runtime.context.now(),
      audience: request.audience,
      // Per-call mandates only, as the SDK's receivers accept by default: a session or operator
      // mandate is a credential for Caracal itself, bound to no resource, budget or session.
      uses: ['call'],
    });
  } catch (error) {
    if (error instanceof MandateRejectedError) return { valid: false, error: error.code, message: error.message };
    throw error;
  }
  if (request.zoneId !== undefined && claims.zone_id !== request.zoneId) {
    return { valid: false, error: 'wrong_zone', message: `the mandate belongs to zone ${claims.zone_id}, not ${request.zoneId}` };
  }
  const sessionId = typeof claims.agent_session_id === 'string' ? claims.agent_session_id : undefined;
  const edgeIds = [
    ...(Array.isArray(claims.delegation_path) ? claims.delegation_path.filter((id): id is string => typeof id === 'string') : []),
    ...(typeof claims.delegation_edge_id === 'string' ? [claims.delegation_edge_id] : []),
  ];
  if (sessionId !== undefined || edgeIds.length > 0) {
    const state = await readRevocationState(runtime.context.database, { sessionId, edgeIds });
    if (state.sessionStatus === null) return { valid: false, error: 'revoked', message: `agent session ${sessionId} no longer exists` };
    if (state.sessionStatus === 'terminated') return { valid: false, error: 'revoked', message: `agent session ${sessionId} is terminated` };
    if (state.revokedEdgeIds.length > 0) {
      return { valid: false, error: 'revoked', message: `delegation edge ${state.revokedEdgeIds[0]} is revoked` };
    }
  }
  const lacking = missingScopes(request.requiredScopes, claims.scope.split(' '));
  if (lacking.length > 0) return { valid: false, error: 'insufficient_scope', message: `the mandate lacks scope ${lacking.join(' ')}` };
  if (request.requireAgent && sessionId === undefined) {
    return { valid: false, error: 'agent_required', message: 'the mandate is not bound to an agent session' };
  }
  if (request.requireDelegation && typeof claims.delegation_edge_id !== 'string') {
    return { valid: false, error: 'delegation_required', message: 'the mandate carries no delegation' };
  }
  const hops = typeof claims.hop_count === 'number' ? claims.hop_count : 0;
  if (request.maxHops !== undefined && hops > request.maxHops) {
    return { valid: false, error: 'hop_limit_exceeded', message: `the mandate has ${hops} hops; at most ${request.maxHops} accepted` };
  }
  return { valid: true, claims };
}

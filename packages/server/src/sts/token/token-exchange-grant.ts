import { isId } from '../../ids.ts';
import type { FormBody } from '../http/form-body.ts';
import { optionalParameter, requiredParameter } from '../http/form-body.ts';
import { oauthError } from '../http/oauth-error.ts';
import { isResourceIdentifier } from '../http/resource-identifier.ts';
import { parseScopeParameter } from '../http/scopes.ts';
import { newMandateId, signMandate } from '../mandates/sign-mandate.ts';
import { MandateRejectedError, verifyMandate } from '../mandates/verify-mandate.ts';
import type { MandateClaims } from '@caracal/protocol';
import type { StsRuntime, TokenResponse } from '../sts-runtime.ts';
import type { PresentedClient } from './client-authentication.ts';
import { decideExchange } from './exchange-decision.ts';
import { spendEdgeBudget, type BudgetOutcome } from './exchange-repository.ts';

export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const JWT_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:jwt';
const TOKEN_TYPES: ReadonlySet<string> = new Set([ACCESS_TOKEN_TYPE, JWT_TOKEN_TYPE]);

interface ExchangeParameters {
  subjectToken: string;
  resource: string;
  scopes: string[] | undefined;
  sessionId: string | undefined;
  edgeId: string | undefined;
}

function readParameters(form: FormBody): ExchangeParameters {
  const subjectToken = requiredParameter(form, 'subject_token');
  const subjectTokenType = requiredParameter(form, 'subject_token_type');
  if (!TOKEN_TYPES.has(subjectTokenType)) throw oauthError('invalid_request', `subject_token_type ${subjectTokenType} is not supported`);
  const requestedTokenType = optionalParameter(form, 'requested_token_type');
  if (requestedTokenType !== undefined && !TOKEN_TYPES.has(requestedTokenType)) {
    throw oauthError('invalid_request', `requested_token_type ${requestedTokenType} is not supported`);
  }
  if (optionalParameter(form, 'actor_token') !== undefined) {
    throw oauthError('invalid_request', 'actor_token is not supported: delegation is presented as delegation_edge_id');
  }
  const resources = (form.get('resource') ?? []).filter((value) => value !== '');
  if (resources.length === 0) throw oauthError('invalid_request', 'resource is required (RFC 8707): the mandate is bound to one resource');
  if (resources.length > 1) throw oauthError('invalid_target', 'a per-call mandate is bound to exactly one resource');
  const resource = resources[0]!;
  if (!isResourceIdentifier(resource)) throw oauthError('invalid_target', 'resource must be an absolute URI without a fragment');
  const audience = optionalParameter(form, 'audience');
  if (audience !== undefined && audience !== resource) throw oauthError('invalid_target', 'audience, when given, must equal resource');
  const sessionId = optionalParameter(form, 'agent_session_id');
  const edgeId = optionalParameter(form, 'delegation_edge_id');
  if (sessionId !== undefined && !isId(sessionId, 'agentsess')) throw oauthError('invalid_request', 'agent_session_id is malformed');
  if (edgeId !== undefined && !isId(edgeId, 'deledge')) throw oauthError('invalid_request', 'delegation_edge_id is malformed');
  if (edgeId !== undefined && sessionId === undefined) {
    throw oauthError('invalid_request', 'delegation_edge_id requires agent_session_id (the edge target presenting it)');
  }
  return { subjectToken, resource, scopes: parseScopeParameter(optionalParameter(form, 'scope')), sessionId, edgeId };
}

/**
 * RFC 8693 token exchange → a per-call mandate bound to one resource.
 *
 * Client authentication: the subject token is itself a session mandate issued to the client by
 * client_credentials, so it identifies the caller (RFC 8693 §2.1 leaves client authentication to
 * the deployment). Credentials may be presented too; they must then verify and name the same
 * client. This keeps scrypt off the per-call path.
 */
export async function tokenExchangeGrant(
  runtime: StsRuntime,
  form: FormBody,
  presented: PresentedClient | undefined,
): Promise<TokenResponse> {
  const parameters = readParameters(form);
  const caller = presented === undefined ? undefined : await runtime.clients.authenticate(presented);
  const { config } = runtime.context;
  const now = runtime.context.now();
  let subject: MandateClaims;
  try {
    subject = await verifyMandate(parameters.subjectToken, {
      keyStore: runtime.keyStore,
      issuer: config.issuer,
      audience: config.issuer,
      now,
      uses: ['session'],
      cache: runtime.verifiedSubjects,
    });
  } catch (error) {
    if (error instanceof MandateRejectedError) throw oauthError('invalid_grant', `subject_token refused: ${error.message}`);
    throw error;
  }
  // A bare client_id (no secret) authenticates nothing, but it must not contradict the subject token.
  const namedClient = caller?.id ?? optionalParameter(form, 'client_id');
  if (namedClient !== undefined && namedClient !== subject.client_id) {
    throw oauthError('invalid_grant', 'the subject token was issued to another client');
  }
  const zoneId = subject.zone_id;
  const snapshot = await runtime.snapshots.read({
    zoneId,
    clientId: subject.client_id,
    resource: parameters.resource,
    sessionId: parameters.sessionId,
    edgeId: parameters.edgeId,
  });
  const decision = decideExchange(snapshot, {
    zoneId,
    clientId: subject.client_id,
    resource: parameters.resource,
    requestedScopes: parameters.scopes,
    sessionId: parameters.sessionId,
    edgeId: parameters.edgeId,
    subjectExpiresAt: subject.exp,
    now,
    maxMandateSeconds: config.maxMandateSeconds,
  });
  if (!decision.ok) throw oauthError(decision.error, decision.description);
  const { grant } = decision;
  if (grant.budgetedEdgeIds.length > 0) {
    const outcome = await spendWithRetry(runtime, grant.budgetedEdgeIds, now);
    if (outcome === 'exhausted') throw oauthError('access_denied', 'the delegation budget is exhausted');
    if (outcome === 'inactive') throw oauthError('access_denied', 'a delegation edge of the lineage was revoked or expired');
  }
  const key = await runtime.keyStore.signingKey(zoneId, { keyVersion: snapshot.keyVersion ?? 0, now });
  const issuedAt = Math.floor(now / 1000);
  const scope = grant.scopes.join(' ');
  const leafEdge = grant.delegationPath.at(-1);
  const accessToken = await signMandate(key, {
    iss: config.issuer,
    sub: grant.subject,
    aud: parameters.resource,
    exp: grant.expiresAt,
    iat: issuedAt,
    nbf: issuedAt,
    jti: newMandateId(),
    client_id: subject.client_id,
    zone_id: zoneId,
    scope,
    use: 'call',
    ...(parameters.sessionId === undefined ? {} : { agent_session_id: parameters.sessionId }),
    ...(leafEdge === undefined ? {} : { delegation_edge_id: leafEdge }),
    delegation_path: grant.delegationPath,
    hop_count: grant.delegationPath.length,
    ...(grant.act === undefined ? {} : { act: grant.act }),
  });
  return {
    access_token: accessToken,
    issued_token_type: ACCESS_TOKEN_TYPE,
    token_type: 'Bearer',
    expires_in: grant.expiresAt - issuedAt,
    scope,
  };
}

/** A deadlock against a concurrent revocation aborts one side; the spend is safe to retry once. */
async function spendWithRetry(runtime: StsRuntime, edgeIds: string[], now: number): Promise<BudgetOutcome> {
  try {
    return await spendEdgeBudget(runtime.context.database, edgeIds, now);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== '40P01' && code !== '40001') throw error;
    return spendEdgeBudget(runtime.context.database, edgeIds, now);
  }
}

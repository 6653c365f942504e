import { ACCESS_TOKEN_TYPE, type ExchangedMandateUse, type MandateClaims, type TokenRequestForm, type TokenResponse } from '@caracal/protocol';
import { requiredField } from '../http/form-body.ts';
import { oauthError } from '../http/oauth-error.ts';
import { parseScopeParameter, splitScopeList } from '../http/scopes.ts';
import { ADMIN_SCOPE, LIFECYCLE_SCOPE } from '../../auth/principal.ts';
import { newMandateId, signMandate } from '../mandates/sign-mandate.ts';
import { MandateRejectedError, verifyMandate } from '../mandates/verify-mandate.ts';
import type { StsRuntime } from '../sts-runtime.ts';
import type { PresentedClient } from './client-authentication.ts';
import { ServerError } from '../../http/server-error.ts';
import { decideExchange } from './exchange-decision.ts';
import { recordedSession, mintedRecord, refusedRecord } from './exchange-records.ts';
import { spendBudget, type BudgetOutcome, type BudgetSpend, type ExchangeSnapshot, type SessionState } from './exchange-repository.ts';

/** What an exchange asks for, once the form's shape (and each id's) has been checked. */
interface ExchangeParameters {
  subjectToken: string;
  resource: string;
  scopes: string[] | undefined;
  sessionId: string | undefined;
  edgeId: string | undefined;
  /** `protocol`: a mandate for protocol messages only, minted without spending budget. */
  use: ExchangedMandateUse;
}

/** The rules between fields that a schema of single fields cannot say. */
function readParameters(form: TokenRequestForm): ExchangeParameters {
  const subjectToken = requiredField(form, 'subject_token');
  requiredField(form, 'subject_token_type');
  if (form.actor_token !== undefined) {
    throw oauthError('invalid_request', 'actor_token is not supported: delegation is presented as delegation_edge_id');
  }
  const { resource } = form;
  if (resource === undefined) throw oauthError('invalid_request', 'resource is required (RFC 8707): the mandate is bound to one resource');
  if (form.audience !== undefined && form.audience !== resource) throw oauthError('invalid_target', 'audience, when given, must equal resource');
  if (form.delegation_edge_id !== undefined && form.agent_session_id === undefined) {
    throw oauthError('invalid_request', 'delegation_edge_id requires agent_session_id (the edge target presenting it)');
  }
  return {
    subjectToken,
    resource,
    scopes: parseScopeParameter(form.scope),
    sessionId: form.agent_session_id,
    edgeId: form.delegation_edge_id,
    use: form.mandate_use ?? 'call',
  };
}

/**
 * RFC 8693 token exchange → a per-call mandate bound to one resource.
 *
 * Client authentication: the subject token is itself a session mandate issued to the client by
 * client_credentials, so it identifies the caller (RFC 8693 §2.1 leaves client authentication to
 * the deployment). Credentials may be presented too; they must then verify and name the same
 * client. This keeps scrypt off the per-call path.
 *
 * Every exchange that names a session of the caller's is recorded on that session's timeline,
 * `mandate_minted` or `mandate_refused`, and answered only once the record committed.
 */
export async function tokenExchangeGrant(
  runtime: StsRuntime,
  form: TokenRequestForm,
  presented: PresentedClient | undefined,
): Promise<TokenResponse> {
  const parameters = readParameters(form);
  const caller = presented === undefined ? undefined : await runtime.clients.authenticate(presented);
  const now = runtime.context.now();
  const subject = await verifiedSubject(runtime, parameters.subjectToken, now);
  // A bare client_id (no secret) authenticates nothing, but it must not contradict the subject token.
  const namedClient = caller?.id ?? form.client_id;
  if (namedClient !== undefined && namedClient !== subject.client_id) {
    throw oauthError('invalid_grant', 'the subject token was issued to another client');
  }
  const snapshot = await runtime.snapshots.read({
    zoneId: subject.zone_id,
    clientId: subject.client_id,
    resource: parameters.resource,
    sessionId: parameters.sessionId,
    edgeId: parameters.edgeId,
  });
  const session = parameters.sessionId === undefined ? undefined : recordedSession(snapshot, subject.zone_id, subject.client_id);
  const exchange: Exchange = { parameters, subject, snapshot, now, session };
  if (session === undefined) return mint(runtime, exchange);
  try {
    return await mint(runtime, exchange);
  } catch (error) {
    // A refusal (4xx) is recorded; an outage (the mint's own record failing among them) is not one.
    if (error instanceof ServerError && error.statusCode < 500) {
      await runtime.audit.record(refusedRecord(session, parameters, { code: error.code, description: error.message }, now));
    }
    throw error;
  }
}

/** One exchange once its subject token verified and its snapshot was read. */
interface Exchange {
  parameters: ExchangeParameters;
  subject: MandateClaims;
  snapshot: ExchangeSnapshot;
  now: number;
  /** The session the exchange is recorded on, if any (exchange-records.ts). */
  session: SessionState | undefined;
}

async function verifiedSubject(runtime: StsRuntime, subjectToken: string, now: number): Promise<MandateClaims> {
  const { config } = runtime.context;
  try {
    return await verifyMandate(subjectToken, {
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
}

/** Decides, spends budget, records and signs: the mandate, or the refusal thrown. */
async function mint(runtime: StsRuntime, exchange: Exchange): Promise<TokenResponse> {
  const { parameters, subject, snapshot, now } = exchange;
  const { config } = runtime.context;
  const zoneId = subject.zone_id;
  const decision = decideExchange(snapshot, {
    zoneId,
    clientId: subject.client_id,
    subjectScopes: applicationScopesOf(subject),
    resource: parameters.resource,
    requestedScopes: parameters.scopes,
    sessionId: parameters.sessionId,
    edgeId: parameters.edgeId,
    subjectExpiresAt: subject.exp,
    now,
    maxMandateSeconds: config.maxMandateSeconds,
    spendsBudget: parameters.use === 'call',
  });
  if (!decision.ok) throw oauthError(decision.error, decision.description);
  const { grant } = decision;
  if (grant.budgetedEdgeIds.length > 0 || grant.budgetedSessionId !== undefined) {
    const outcome = await spendWithRetry(runtime, { edgeIds: grant.budgetedEdgeIds, sessionId: grant.budgetedSessionId }, now);
    if (outcome === 'exhausted') throw oauthError('access_denied', 'the delegation budget is exhausted');
    if (outcome === 'inactive') throw oauthError('access_denied', 'a delegation edge of the lineage was revoked or expired');
  }
  const jti = newMandateId();
  // Sent before signing, so the record's round trip overlaps the signature; awaited before answering.
  const recorded =
    exchange.session === undefined
      ? undefined
      : runtime.audit.record(
          mintedRecord(exchange.session, parameters, { jti, scopes: grant.scopes, delegationPath: grant.delegationPath, expiresAt: grant.expiresAt, clientId: subject.client_id }, now),
        );
  const key = await runtime.keyStore.signingKey(zoneId, { keyVersion: snapshot.keyVersion ?? 0, now });
  const issuedAt = Math.floor(now / 1000);
  const scope = grant.scopes.join(' ');
  const signed = signMandate(key, {
    iss: config.issuer,
    sub: grant.subject,
    aud: parameters.resource,
    exp: grant.expiresAt,
    iat: issuedAt,
    nbf: issuedAt,
    jti,
    client_id: subject.client_id,
    zone_id: zoneId,
    scope,
    use: parameters.use,
    // Absent (undefined) claims are left out of the signed JSON.
    agent_session_id: parameters.sessionId,
    delegation_edge_id: grant.delegationPath.at(-1),
    delegation_path: grant.delegationPath,
    hop_count: grant.delegationPath.length,
    act: grant.act,
  });
  const [accessToken] = await Promise.all([signed, recorded]);
  return {
    access_token: accessToken,
    issued_token_type: ACCESS_TOKEN_TYPE,
    token_type: 'Bearer',
    expires_in: grant.expiresAt - issuedAt,
    scope,
  };
}

/** A deadlock against a concurrent revocation aborts one side; the spend is safe to retry once. */
async function spendWithRetry(runtime: StsRuntime, spend: BudgetSpend, now: number): Promise<BudgetOutcome> {
  try {
    return await spendBudget(runtime.context.database, spend, now);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== '40P01' && code !== '40001') throw error;
    return spendBudget(runtime.context.database, spend, now);
  }
}

/** The application scopes a session mandate carries: its `scope` without the Coordinator's own. */
function applicationScopesOf(subject: MandateClaims): string[] {
  return splitScopeList(subject.scope).filter((name) => name !== LIFECYCLE_SCOPE && name !== ADMIN_SCOPE);
}

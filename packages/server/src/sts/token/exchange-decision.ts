import type { OAuthErrorCode } from '../http/oauth-error.ts';
import { intersectScopes, missingScopes } from '../http/scopes.ts';
import { MAX_CALL_MANDATE_SECONDS, MAX_HOP, type ActorClaim } from '@caracal/protocol';
import type { EdgeState, ExchangeSnapshot, SessionCaveats, SessionState } from './exchange-repository.ts';

/** The exchange as asked for, after the subject token verified. */
export interface ExchangeRequest {
  zoneId: string;
  /** The calling application (the subject token's client_id). */
  clientId: string;
  /**
   * The application scopes the subject token carries (without `agent:lifecycle` and
   * `caracal:admin`): the most of its own application's authority it may mint, so a session
   * mandate narrowed with `scope` stays narrow through every exchange.
   */
  subjectScopes: readonly string[];
  resource: string;
  /** Undefined: everything allowed that the resource accepts. */
  requestedScopes: string[] | undefined;
  sessionId: string | undefined;
  edgeId: string | undefined;
  /** The subject token's `exp`, seconds. */
  subjectExpiresAt: number;
  /** Milliseconds since the epoch. */
  now: number;
  maxMandateSeconds: number;
  /** False for a protocol mandate: it neither spends nor needs budget (it authorizes no acting request). */
  spendsBudget: boolean;
}

/** What the per-call mandate may carry. */
export interface ExchangeGrant {
  scopes: string[];
  /** `exp`, seconds: the earliest end among every authority it derives from. */
  expiresAt: number;
  subject: string;
  delegationPath: string[];
  act: ActorClaim | undefined;
  /** Edges whose budget the mint spends (the requested edge and budgeted ancestors). */
  budgetedEdgeIds: string[];
  /** A session whose own granted budget the mint spends (a narrowed root of the authority). */
  budgetedSessionId: string | undefined;
}

export type ExchangeDecision =
  | { ok: true; grant: ExchangeGrant }
  | { ok: false; error: OAuthErrorCode; description: string };

type Refusal = Extract<ExchangeDecision, { ok: false }>;

const refuse = (error: OAuthErrorCode, description: string): Refusal => ({ ok: false, error, description });

/**
 * Decides an exchange from its snapshot, authoritatively: nothing the caller says about itself is
 * trusted beyond the verified subject token. Pure, so every refusal reason is testable alone.
 */
export function decideExchange(snapshot: ExchangeSnapshot, request: ExchangeRequest): ExchangeDecision {
  const nowSeconds = Math.floor(request.now / 1000);
  if (snapshot.keyVersion === null) return refuse('invalid_grant', `zone ${request.zoneId} no longer exists`);
  const application = snapshot.application;
  if (application === null || application.zoneId !== request.zoneId) {
    return refuse('invalid_grant', `client ${request.clientId} no longer exists in zone ${request.zoneId}`);
  }
  if (snapshot.resourceScopes === null) {
    return refuse('invalid_target', `resource ${request.resource} is not registered in zone ${request.zoneId}`);
  }
  const ends = [nowSeconds + Math.min(request.maxMandateSeconds, MAX_CALL_MANDATE_SECONDS), request.subjectExpiresAt];

  let session: SessionState | undefined;
  if (request.sessionId !== undefined) {
    const checked = checkSession(snapshot.session, request);
    if ('ok' in checked) return checked;
    session = checked;
    if (session.expiresAt !== null) ends.push(Math.floor(session.expiresAt / 1000));
  }

  // A session that inherited an edge at spawn acts under it, named or not: its caveats always apply.
  const edgeId = request.edgeId ?? session?.delegationEdgeId ?? undefined;
  let allowed: string[];
  let delegationPath: string[] = [];
  let act: ActorClaim | undefined;
  let budgetedEdgeIds: string[] = [];
  let budgetedSessionId: string | undefined;
  if (edgeId === undefined) {
    // The application's own authority: its current scopes, within what the subject token carries
    // and the session's ceiling.
    allowed = intersectScopes(intersectScopes(session?.scopes ?? application.scopes, application.scopes), request.subjectScopes);
    if (session?.resourceId != null && session.resourceId !== request.resource) {
      return refuse('invalid_target', `agent session ${session.id} is bound to resource ${session.resourceId}`);
    }
    if (session !== undefined) {
      const granted = sessionGrant(session.id, session.caveats, allowed, request, ends, nowSeconds);
      if ('ok' in granted) return granted;
      ({ allowed, budgetedSessionId } = granted);
    }
  } else {
    if (session === undefined) return refuse('invalid_request', 'delegation_edge_id requires agent_session_id');
    const checked = checkLineage(snapshot.lineage, session, edgeId, request);
    if (!Array.isArray(checked)) return checked;
    const root = checked[0]!;
    allowed = checked.reduce<string[]>((scopes, edge, index) => (index === 0 ? [...edge.scopes] : intersectScopes(scopes, edge.scopes)), []);
    // Authority originates in the root edge's issuing application: never more than it holds now,
    // and, when that is the caller's own application, never more than the subject token carries.
    allowed = intersectScopes(allowed, root.issuerScopes ?? []);
    if (root.issuerApplicationId === request.clientId) allowed = intersectScopes(allowed, request.subjectScopes);
    for (const edge of checked) {
      if (edge.resourceId !== null && edge.resourceId !== request.resource) {
        return refuse('invalid_target', `delegation edge ${edge.id} is bound to resource ${edge.resourceId}`);
      }
      ends.push(Math.floor(edge.expiresAt / 1000));
      if (edge.mandateTtlSeconds !== null) ends.push(nowSeconds + Math.floor(edge.mandateTtlSeconds));
    }
    if (root.sourceSessionCaveats !== null) {
      const granted = sessionGrant(root.sourceSessionId, root.sourceSessionCaveats, allowed, request, ends, nowSeconds);
      if ('ok' in granted) return granted;
      ({ allowed, budgetedSessionId } = granted);
    }
    delegationPath = checked.map((edge) => edge.id);
    act = actorChain(checked);
    budgetedEdgeIds = request.spendsBudget ? checked.filter((edge) => edge.budgetRemaining !== null).map((edge) => edge.id) : [];
  }

  const scopes = chooseScopes(request.requestedScopes, allowed, snapshot.resourceScopes, request);
  if (!Array.isArray(scopes)) return scopes;
  const expiresAt = Math.min(...ends);
  if (expiresAt <= nowSeconds) return refuse('access_denied', 'the authority this mandate derives from has expired');
  return {
    ok: true,
    grant: { scopes, expiresAt, subject: session?.id ?? request.clientId, delegationPath, act, budgetedEdgeIds, budgetedSessionId },
  };
}

function checkSession(session: SessionState | null, request: ExchangeRequest): SessionState | Refusal {
  if (session === null || session.zoneId !== request.zoneId) {
    return refuse('invalid_grant', `agent session ${request.sessionId} does not exist in zone ${request.zoneId}`);
  }
  if (session.applicationId !== request.clientId) {
    return refuse('unauthorized_client', `agent session ${session.id} belongs to another application`);
  }
  if (session.status !== 'active') return refuse('access_denied', `agent session ${session.id} is ${session.status}`);
  if (session.expiresAt !== null && session.expiresAt <= request.now) {
    return refuse('access_denied', `agent session ${session.id} has expired`);
  }
  return session;
}

/**
 * What a session's own grant leaves of `allowed` on the requested resource, and the session whose
 * budget the mint spends, if any (the two checks below, in this order).
 */
function sessionGrant(
  sessionId: string,
  caveats: SessionCaveats,
  allowed: string[],
  request: ExchangeRequest,
  ends: number[],
  nowSeconds: number,
): { allowed: string[]; budgetedSessionId: string | undefined } | Refusal {
  const bound = withinResourceScopes(sessionId, caveats, allowed, request.resource);
  if (!Array.isArray(bound)) return bound;
  const spent = sessionCaveats(sessionId, caveats, ends, nowSeconds, request.spendsBudget);
  if ('ok' in spent) return spent;
  return { allowed: bound, budgetedSessionId: spent.budgetedSessionId };
}

/**
 * The caveats of a session's own grant (a narrowed root of the authority): its mandate TTL joins
 * `ends`; a budget of 0 refuses, and any other budget is spent by the mint (unless it is a
 * protocol mandate, which neither spends nor needs budget).
 */
function sessionCaveats(
  sessionId: string,
  caveats: SessionCaveats,
  ends: number[],
  nowSeconds: number,
  spendsBudget: boolean,
): { budgetedSessionId: string | undefined } | Refusal {
  if (caveats.mandateTtlSeconds !== null) ends.push(nowSeconds + Math.floor(caveats.mandateTtlSeconds));
  if (caveats.budget === null || !spendsBudget) return { budgetedSessionId: undefined };
  if (caveats.budget <= 0) return refuse('access_denied', `the budget granted to agent session ${sessionId} is exhausted`);
  return { budgetedSessionId: sessionId };
}

/**
 * A grant bound per resource (a session spawned from a blueprint with several resources) allows
 * on each resource only the scopes listed for it, and nothing on a resource it does not list.
 */
function withinResourceScopes(sessionId: string, caveats: SessionCaveats, allowed: string[], resource: string): string[] | Refusal {
  if (caveats.resourceScopes === null) return allowed;
  const listed = caveats.resourceScopes[resource];
  if (listed === undefined) return refuse('invalid_target', `agent session ${sessionId} is not granted resource ${resource}`);
  return intersectScopes(allowed, [...listed]);
}

/** The lineage root → leaf, or why it does not carry authority to this session now. */
function checkLineage(lineage: EdgeState[], session: SessionState, edgeId: string, request: ExchangeRequest): EdgeState[] | Refusal {
  const leaf = lineage.at(-1);
  if (leaf === undefined || leaf.id !== edgeId || leaf.zoneId !== request.zoneId) {
    return refuse('invalid_grant', `delegation edge ${edgeId} does not exist in zone ${request.zoneId}`);
  }
  if (leaf.targetSessionId !== session.id) {
    return refuse('invalid_grant', `delegation edge ${leaf.id} does not delegate to agent session ${session.id}`);
  }
  if (leaf.receiverApplicationId !== request.clientId) {
    return refuse('unauthorized_client', `delegation edge ${leaf.id} was delegated to another application`);
  }
  if (lineage[0]!.parentEdgeId !== null) {
    return refuse('access_denied', `the lineage of delegation edge ${leaf.id} is broken (an ancestor is missing or the chain is too long)`);
  }
  if (lineage.length > MAX_HOP) return refuse('access_denied', `the delegation chain has ${lineage.length} hops; at most ${MAX_HOP}`);
  for (const [index, edge] of lineage.entries()) {
    const parent = index === 0 ? undefined : lineage[index - 1]!;
    if (edge.zoneId !== request.zoneId) return refuse('access_denied', `delegation edge ${edge.id} belongs to another zone`);
    if (parent !== undefined && (edge.parentEdgeId !== parent.id || edge.sourceSessionId !== parent.targetSessionId)) {
      return refuse('access_denied', `the lineage is not continuous at delegation edge ${edge.id}`);
    }
    if (edge.status === 'revoked') return refuse('access_denied', `delegation edge ${edge.id} is revoked`);
    if (edge.status !== 'active' || edge.expiresAt <= request.now) return refuse('access_denied', `delegation edge ${edge.id} has expired`);
    if (edge.sourceSessionStatus !== 'active') {
      return refuse('access_denied', `the delegating session of edge ${edge.id} is ${edge.sourceSessionStatus ?? 'gone'}`);
    }
    // max_hops counts the edges a chain may still have from this edge down, itself included.
    const edgesFromHere = lineage.length - index;
    if (edge.maxHops !== null && edgesFromHere > edge.maxHops) {
      return refuse('access_denied', `delegation edge ${edge.id} allows ${edge.maxHops} hop(s) from it; this chain has ${edgesFromHere}`);
    }
    if (request.spendsBudget && edge.budgetRemaining !== null && edge.budgetRemaining <= 0) {
      return refuse('access_denied', `the budget of delegation edge ${edge.id} is exhausted`);
    }
  }
  return lineage;
}

/** RFC 8693 `act`: the outermost actor is the immediate delegator, nested down to the root. */
function actorChain(lineage: EdgeState[]): ActorClaim | undefined {
  let act: ActorClaim | undefined;
  for (const edge of lineage) {
    act = { sub: edge.sourceSessionId, client_id: edge.issuerApplicationId, act };
  }
  return act;
}

function chooseScopes(
  requested: string[] | undefined,
  allowed: string[],
  accepted: string[],
  request: ExchangeRequest,
): string[] | Refusal {
  if (requested === undefined) {
    const grantable = intersectScopes(allowed, accepted);
    if (grantable.length === 0) {
      return refuse('invalid_scope', `no scope is both granted to this caller and accepted by ${request.resource}`);
    }
    return grantable;
  }
  const notAccepted = missingScopes(requested, accepted);
  if (notAccepted.length > 0) return refuse('invalid_scope', `${request.resource} does not accept scope ${notAccepted.join(' ')}`);
  const notAllowed = missingScopes(requested, allowed);
  if (notAllowed.length > 0) {
    const source = request.edgeId === undefined ? 'the agent session or application' : 'the delegation lineage';
    return refuse('invalid_scope', `scope ${notAllowed.join(' ')} exceeds what ${source} grants`);
  }
  return requested;
}

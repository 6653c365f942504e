import type { DelegationEdge, UncheckedBody } from '@caracal/protocol';
import type { Dispatcher } from 'undici';
import { CaracalError } from '../../errors.ts';
import type { EdgeCandidate } from './act-as.ts';
import { resolveFetch, type VerifierFetch } from './verifier-fetch.ts';

/** @since 0.1.0 */
export interface CoordinatorEdgeTrustOptions {
  /** The Coordinator's base URL. */
  readonly url: string;
  readonly zoneId: string;
  /** The receiver's own session mandate (the Coordinator shows an edge to its issuer and receiver applications). */
  readonly token?: string;
  readonly tokenSource?: () => string | Promise<string>;
  /** Milliseconds since the epoch. @default Date.now */
  readonly now?: () => number;
  /** @default 5000 */
  readonly timeoutMs?: number;
  readonly fetch?: VerifierFetch;
  readonly dispatcher?: Dispatcher;
}

type EdgeView = UncheckedBody<DelegationEdge>;

function bindsCaller(edge: EdgeView, candidate: EdgeCandidate, now: number): boolean {
  const expiresAt = typeof edge.expires_at === 'string' ? Date.parse(edge.expires_at) : Number.NaN;
  return (
    edge.status === 'active' &&
    expiresAt > now &&
    candidate.caller.agent_session_id !== undefined &&
    edge.source_session_id === candidate.caller.agent_session_id &&
    edge.target_session_id === candidate.agentSessionId &&
    (edge.issuer_application_id === undefined || edge.issuer_application_id === candidate.caller.client_id)
  );
}

/**
 * A `trustEdge` for `actAs` that asks the Coordinator (`GET /zones/{zoneId}/delegations/{id}`)
 * whether the edge named in baggage really was delegated by this caller: it must be active and
 * unexpired, start at the caller's verified agent session (from its application) and end at the
 * session named in baggage. An edge the Coordinator does not show (404/403) is not trusted; when
 * the Coordinator cannot be asked at all, the request fails with a 503 rather than guessing.
 * @example
 * verifyNode(handler, { verifier, actAs: { clientId: 'app_billing', tokenSource, trustEdge: coordinatorEdgeTrust({ url, zoneId, tokenSource }) } });
 * @since 0.1.0
 */
export function coordinatorEdgeTrust(options: CoordinatorEdgeTrustOptions): (candidate: EdgeCandidate) => Promise<boolean> {
  if (options.token === undefined && options.tokenSource === undefined) {
    throw new CaracalError('CONFIG_INVALID', 'coordinatorEdgeTrust needs token or tokenSource.', { settings: ['token', 'tokenSource'] });
  }
  const fetch = resolveFetch(options);
  const now = options.now ?? Date.now;
  const base = `${options.url.replace(/\/+$/, '')}/zones/${encodeURIComponent(options.zoneId)}/delegations/`;
  return async (candidate) => {
    const token = options.tokenSource === undefined ? options.token : await options.tokenSource();
    let response;
    try {
      response = await fetch(`${base}${encodeURIComponent(candidate.edgeId)}`, {
        method: 'GET',
        headers: { accept: 'application/json', authorization: `Bearer ${String(token)}` },
        signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
      });
    } catch (error) {
      throw new CaracalError('NETWORK_ERROR', 'Could not ask the Coordinator about the delegation edge.', { cause: error });
    }
    if (response.status === 404 || response.status === 403) return false;
    if (!response.ok) throw new CaracalError('REQUEST_FAILED', `The Coordinator answered HTTP ${response.status} about the delegation edge.`, { status: response.status });
    return bindsCaller((await response.json()) as EdgeView, candidate, now());
  };
}

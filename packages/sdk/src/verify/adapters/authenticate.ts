import type { CaracalContext } from '../../model/caracal-context.ts';
import { extract } from '../../propagation/extract.ts';
import type { IncomingHeaders } from '../../propagation/headers.ts';
import { actAsReceiver, type ActAsOptions, type ActingUnder } from '../core/act-as.ts';
import { bearerToken } from '../core/bearer-token.ts';
import type { RevocationQuery } from '../revocation/revocation-store.ts';
import { edgesOf, type VerifiedMandate, type Verifier } from '../core/verifier.ts';

/**
 * Options shared by every Caracal middleware.
 * @since 0.1.0
 */
export interface VerifyMiddlewareOptions {
  readonly verifier: Verifier;
  /** Scopes this route needs on top of the verifier's. */
  readonly requiredScopes?: readonly string[];
  /** The receiver's own credentials, to act under a delegation edge carried in baggage (docs/verify.md). */
  readonly actAs?: ActAsOptions;
  /** Cut streamed responses when the mandate is revoked. @default true when the verifier has a revocation store */
  readonly guardStreams?: boolean;
  /** Also set `request.auth` (the MCP SDK's `AuthInfo`) when nothing else has. @default true */
  readonly mcpAuthInfo?: boolean;
  /**
   * This route serves MCP over HTTP: accept protocol mandates (`use: "protocol"`, what
   * `createMcpFetch` sends for `initialize`, notifications, the SSE stream …) for requests that
   * do not act, and refuse them for those that do (`protocol_mandate`). The middleware reads the
   * JSON-RPC body to tell (node:http and Express leave it parsed on `request.body`; pass that to
   * the transport's `handleRequest`). `actingMethods` must equal the client's `methods`.
   * @default undefined (protocol mandates are refused: the receiver cannot tell what acts)
   */
  readonly mcp?: boolean | { readonly actingMethods?: readonly string[] };
}

/**
 * What a middleware found out about a request, attached as `request.caracal`.
 * @since 0.1.0
 */
export interface VerifiedRequest extends VerifiedMandate {
  /** The context handler code runs in: the caller's, or with `actAs` the receiver's own. */
  readonly context: CaracalContext;
  /** The caller's context, rebuilt from its verified claims. */
  readonly callerContext: CaracalContext;
  /** The delegation edge the receiver acts under, when `actAs` adopted one. */
  readonly actingUnder: ActingUnder | undefined;
  /** Aborted when the mandate is revoked while the response is still being sent. */
  readonly signal: AbortSignal;
}

/** A verified request before a framework attaches it. @internal */
export type Authenticated = Omit<VerifiedRequest, 'signal'> & { readonly revocationQuery: RevocationQuery };

/**
 * Reads the bearer mandate from `headers`, verifies it, and builds the context to run in;
 * `requestActs` is what the `mcp` option found out about the request (see `VerifyOptions.acting`).
 * Rejects with what `verify()` rejects with (`refusalResponse` turns it into the HTTP answer).
 * @internal
 */
export async function authenticate(headers: IncomingHeaders, options: VerifyMiddlewareOptions, requestActs?: boolean): Promise<Authenticated> {
  const token = bearerToken(headers['authorization']);
  const verified = await options.verifier.verify(token, { headers, requiredScopes: options.requiredScopes, acting: requestActs });
  const sessionIds: string[] = [];
  if (verified.claims.agent_session_id !== undefined) sessionIds.push(verified.claims.agent_session_id);
  const edgeIds = edgesOf(verified.claims);
  if (options.actAs === undefined) {
    return { ...verified, callerContext: verified.context, actingUnder: undefined, revocationQuery: { sessionIds, edgeIds } };
  }
  const acting = await actAsReceiver(verified.claims, extract(headers), options.actAs, options.verifier.revocation);
  if (acting.actingUnder !== undefined) {
    sessionIds.push(acting.actingUnder.agentSessionId);
    edgeIds.push(acting.actingUnder.edgeId);
  }
  return { ...verified, context: acting.context, callerContext: verified.context, actingUnder: acting.actingUnder, revocationQuery: { sessionIds, edgeIds } };
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Authenticated, VerifyMiddlewareOptions, VerifiedRequest } from './authenticate.ts';
import { mcpAuthInfo, type McpAuthInfo } from './mcp-auth-info.ts';
import { refusalResponse } from '../core/refusal-response.ts';
import { guardResponse } from '../stream-guards/response-guard.ts';

/**
 * A node:http request after a Caracal middleware verified it.
 * @since 0.1.0
 */
export type CaracalIncomingMessage = IncomingMessage & {
  caracal?: VerifiedRequest;
  /** Read by the MCP SDK's HTTP server transport and passed to handlers as `extra.authInfo`. */
  auth?: McpAuthInfo;
};

const NEVER_ABORTED = new AbortController().signal;

/**
 * Attaches the verified mandate to the request (`request.caracal`, and `request.auth` for MCP)
 * and, when the verifier knows revocations, guards the response.
 * @internal
 */
export function attachVerified(request: IncomingMessage, response: ServerResponse, authenticated: Authenticated, options: VerifyMiddlewareOptions): VerifiedRequest {
  const store = options.verifier.revocation;
  const guard = store !== undefined && options.guardStreams !== false ? guardResponse(response, { store, query: authenticated.revocationQuery }) : undefined;
  const { revocationQuery: _query, ...visible } = authenticated;
  const verified: VerifiedRequest = Object.freeze({ ...visible, signal: guard?.signal ?? NEVER_ABORTED });
  const target = request as CaracalIncomingMessage;
  target.caracal = verified;
  if (options.mcpAuthInfo !== false && target.auth === undefined) target.auth = mcpAuthInfo(verified);
  return verified;
}

/**
 * Answers a refused request (see `refusalResponse`), unless an answer has already started.
 * @internal
 */
export function writeRefusal(response: ServerResponse, error: unknown): void {
  if (response.headersSent || response.writableEnded) return;
  const { status, headers, body } = refusalResponse(error);
  response.writeHead(status, headers).end(JSON.stringify(body));
}

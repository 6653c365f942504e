import { bind } from '../../context/bind.ts';
import type { IncomingHeaders } from '../../propagation/headers.ts';
import { authenticate, type Authenticated, type VerifyMiddlewareOptions, type VerifiedRequest } from './authenticate.ts';
import { refusalResponse } from '../core/refusal-response.ts';
import { mcpActingMethods, webMcpRequestActs } from './mcp-request.ts';
import { guardWebResponse } from '../stream-guards/web-response-guard.ts';

const NEVER_ABORTED = new AbortController().signal;

/**
 * Wraps a web-standard `fetch(request)` handler — MCP v2's `WebStandardStreamableHTTPServerTransport`,
 * Hono, workers: only requests with a valid mandate reach `handler`, which runs inside the
 * verified context; refusals are answered with 401/403/503. Pass `mcpAuthInfo(verified)` on to
 * the MCP transport as `authInfo`.
 * @example
 * const handle = verifyFetch((request, verified) => transport.handleRequest(request, { authInfo: mcpAuthInfo(verified) }), { verifier, mcp: true });
 * @since 0.1.0
 */
export function verifyFetch(
  handler: (request: Request, verified: VerifiedRequest) => Response | Promise<Response>,
  options: VerifyMiddlewareOptions,
): (request: Request) => Promise<Response> {
  const actingMethods = mcpActingMethods(options);
  return async (request) => {
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    let authenticated: Authenticated;
    try {
      const acting = actingMethods === undefined ? undefined : await webMcpRequestActs(request, actingMethods);
      authenticated = await authenticate(headers as IncomingHeaders, options, acting);
    } catch (error) {
      const { status, headers: refusalHeaders, body } = refusalResponse(error);
      return Response.json(body, { status, headers: refusalHeaders });
    }
    const { revocationQuery, ...visible } = authenticated;
    const verified: VerifiedRequest = Object.freeze({ ...visible, signal: NEVER_ABORTED });
    const response = await bind(verified.context, () => handler(request, verified));
    const store = options.verifier.revocation;
    return store === undefined || options.guardStreams === false ? response : guardWebResponse(response, { store, query: revocationQuery });
  };
}

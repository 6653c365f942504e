import type { IncomingMessage, ServerResponse } from 'node:http';
import { bind } from '../../context/bind.ts';
import { attachVerified, writeRefusal } from './attach-verified.ts';
import { authenticate, type VerifyMiddlewareOptions } from './authenticate.ts';
import { mcpActingMethods, nodeMcpRequestActs } from './mcp-request.ts';

/**
 * An Express/Connect middleware, typed structurally (Express's `Request`/`Response` extend
 * node:http's), so this package does not depend on Express.
 * @since 0.1.0
 */
export type ConnectMiddleware = (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * Express/Connect middleware (also what `@a2a-js/sdk`'s Express handlers and MCP servers mounted
 * on Express sit behind). Verifies the bearer mandate, answers 401/403/503 itself on failure,
 * and otherwise calls `next()` inside the verified context, with `request.caracal` (and
 * `request.auth` for MCP) set.
 * @example
 * app.use('/mcp', express.json(), verifyExpress({ verifier, requiredScopes: ['tools:call'], mcp: true }));
 * app.post('/mcp', (request, response) => transport.handleRequest(request, response, request.body));
 * @since 0.1.0
 */
export function verifyExpress(options: VerifyMiddlewareOptions): ConnectMiddleware {
  const actingMethods = mcpActingMethods(options);
  return (request, response, next) => {
    const acting = actingMethods === undefined ? Promise.resolve(undefined) : nodeMcpRequestActs(request, actingMethods);
    acting.then((acts) => authenticate(request.headers, options, acts)).then(
      (authenticated) => {
        const verified = attachVerified(request, response, authenticated, options);
        // Express runs the next layers synchronously inside next(), so they inherit the context.
        bind(verified.context, () => next());
      },
      (error: unknown) => writeRefusal(response, error),
    );
  };
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { bind } from '../../context/bind.ts';
import { attachVerified, writeRefusal, type CaracalIncomingMessage } from './attach-verified.ts';
import { authenticate, type Authenticated, type VerifyMiddlewareOptions } from './authenticate.ts';
import { mcpActingMethods, nodeMcpRequestActs } from './mcp-request.ts';

/**
 * Verifies the request's bearer mandate, then runs `next` inside the verified context. On
 * failure it answers 401/403/503 itself and never calls `next`. The building block of the other
 * middlewares, and the way to put a transport's `handleRequest` behind Caracal.
 * @example
 * const caracal = verifyNodeMiddleware({ verifier, mcp: true });
 * http.createServer((request, response) => caracal(request, response, () => transport.handleRequest(request, response, (request as { body?: unknown }).body)));
 * @since 0.1.0
 */
export function verifyNodeMiddleware(
  options: VerifyMiddlewareOptions,
): (request: IncomingMessage, response: ServerResponse, next: () => unknown) => Promise<void> {
  const actingMethods = mcpActingMethods(options);
  return async (request, response, next) => {
    let authenticated: Authenticated;
    try {
      const acting = actingMethods === undefined ? undefined : await nodeMcpRequestActs(request, actingMethods);
      authenticated = await authenticate(request.headers, options, acting);
    } catch (error) {
      writeRefusal(response, error);
      return;
    }
    const verified = attachVerified(request, response, authenticated, options);
    await bind(verified.context, () => next());
  };
}

/** @since 0.1.0 */
export interface VerifyNodeOptions extends VerifyMiddlewareOptions {
  /** Told about errors thrown by the handler. By default the answer becomes a 500 (or the connection is closed if it started). */
  readonly onError?: (error: unknown, request: CaracalIncomingMessage, response: ServerResponse) => void;
}

/**
 * Wraps a node:http request listener: only requests with a valid mandate reach `handler`, which
 * runs inside the verified context (`current()` works at any depth) with `request.caracal` set.
 * @example
 * http.createServer(verifyNode((request, response) => {
 *   response.end(`hello ${current()?.agentSessionId}`);
 * }, { verifier })).listen(8080);
 * @since 0.1.0
 */
export function verifyNode(
  handler: (request: CaracalIncomingMessage, response: ServerResponse) => unknown,
  options: VerifyNodeOptions,
): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  const run = verifyNodeMiddleware(options);
  return async (request, response) => {
    try {
      await run(request, response, () => handler(request as CaracalIncomingMessage, response));
    } catch (error) {
      if (options.onError !== undefined) return options.onError(error, request as CaracalIncomingMessage, response);
      if (!response.headersSent) {
        response.writeHead(500, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ error: 'server_error', error_description: 'The handler failed.' }));
      } else {
        response.destroy();
      }
    }
  };
}

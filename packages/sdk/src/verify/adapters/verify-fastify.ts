import type { IncomingMessage, ServerResponse } from 'node:http';
import { bind } from '../../context/bind.ts';
import { attachVerified } from './attach-verified.ts';
import { authenticate, type VerifyMiddlewareOptions, type VerifiedRequest } from './authenticate.ts';
import { refusalResponse } from '../core/refusal-response.ts';
import { mcpActingMethods } from './mcp-request.ts';
import { mcpRequestActs } from '../../model/mcp-acting-request.ts';

/** The parts of a Fastify request the plugin uses (structural: no Fastify dependency). @since 0.1.0 */
export interface FastifyRequestLike {
  readonly headers: IncomingMessage['headers'];
  readonly raw: IncomingMessage;
  /** The parsed body (read by the `mcp` option, in `preHandler`). */
  readonly body?: unknown;
  caracal?: VerifiedRequest | null;
}

/** The parts of a Fastify reply the plugin uses. @since 0.1.0 */
export interface FastifyReplyLike {
  readonly raw: ServerResponse;
  code(statusCode: number): FastifyReplyLike;
  headers(values: Record<string, string>): FastifyReplyLike;
  send(payload?: unknown): FastifyReplyLike;
}

type HookDone = (error?: Error) => void;

/** The parts of a Fastify instance the plugin uses. @since 0.1.0 */
export interface FastifyInstanceLike {
  addHook(name: 'onRequest' | 'preHandler', hook: (request: FastifyRequestLike, reply: FastifyReplyLike, done: HookDone) => void): unknown;
  decorateRequest(name: 'caracal', value: null): unknown;
  hasRequestDecorator(name: string): boolean;
}

function verifyHook(options: VerifyMiddlewareOptions) {
  const actingMethods = mcpActingMethods(options);
  return (request: FastifyRequestLike, reply: FastifyReplyLike, done: HookDone): void => {
    const acting = actingMethods === undefined ? undefined : mcpRequestActs(request.raw.method ?? '', request.body, actingMethods);
    authenticate(request.headers, options, acting).then(
      (authenticated) => {
        const verified = attachVerified(request.raw, reply.raw, authenticated, options);
        request.caracal = verified;
        bind(verified.context, () => done());
      },
      (error: unknown) => {
        // Answering from a callback hook ends the request; done() is deliberately not called.
        const { status, headers, body } = refusalResponse(error);
        reply.code(status).headers(headers).send(body);
      },
    );
  };
}

/** Body parsing runs between onRequest and the handler and may lose the context: bind again. */
function preHandler(request: FastifyRequestLike, _reply: FastifyReplyLike, done: HookDone): void {
  const context = request.caracal?.context;
  if (context === undefined) done();
  else bind(context, () => done());
}

/**
 * Fastify plugin: an `onRequest` hook verifies the bearer mandate (401/403/503 on failure,
 * before the body is read; with `mcp`, a `preHandler` hook, after Fastify parsed it) and the rest of the request — hooks and handler — runs inside the
 * verified context, with `request.caracal` set. Not encapsulated (like `fastify-plugin`), so it
 * guards every route of the instance it is registered on.
 * @example
 * await fastify.register(verifyFastify, { verifier, requiredScopes: ['billing:read'] });
 * fastify.get('/invoices', async (request) => ({ caller: request.caracal?.claims.client_id, session: current()?.agentSessionId }));
 * @since 0.1.0
 */
export const verifyFastify: ((instance: FastifyInstanceLike, options: VerifyMiddlewareOptions, done: HookDone) => void) & Record<symbol, unknown> = Object.assign(
  function verifyFastify(instance: FastifyInstanceLike, options: VerifyMiddlewareOptions, done: HookDone): void {
    if (!instance.hasRequestDecorator('caracal')) instance.decorateRequest('caracal', null);
    if (mcpActingMethods(options) === undefined) {
      instance.addHook('onRequest', verifyHook(options));
      instance.addHook('preHandler', preHandler);
    } else {
      // With `mcp`, whether a request acts is in its JSON-RPC body: verify once Fastify parsed it.
      instance.addHook('preHandler', verifyHook(options));
    }
    done();
  },
  // What fastify-plugin sets: skip encapsulation, and a readable name in errors and `printPlugins`.
  { [Symbol.for('skip-override')]: true, [Symbol.for('fastify.display-name')]: 'caracal' },
);

/**
 * The free names JSDoc `@example` blocks may use, typed, so check-jsdoc-examples.ts can compile
 * them. Names the SDK's modules export need no entry: every example sees them. Third-party
 * objects (an MCP client, an Express app) are typed by the parts the examples touch, so the SDK
 * needs none of those packages.
 */
import type { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Caracal } from '../src/caracal.ts';
import type { CaracalOptions } from '../src/config/caracal-options.ts';
import type { ENVIRONMENT_VARIABLES } from '../src/config/from-env.ts';
import type { CaracalContext } from '../src/model/caracal-context.ts';
import type { BaggageEntry } from '../src/propagation/baggage.ts';
import type { CaracalLineage } from '../src/propagation/lineage.ts';
import type { Traceparent, TraceparentParts } from '../src/propagation/traceparent.ts';
import type { RetryPolicy } from '../src/retry/retry-policy.ts';
import type { WithTokenExchangeOptions } from '../src/transport/interceptors/with-token-exchange.ts';
import type { CaracalA2AUser } from '../src/verify/adapters/a2a-user.ts';
import type { CaracalIncomingMessage } from '../src/verify/adapters/attach-verified.ts';
import type { VerifyMiddlewareOptions } from '../src/verify/adapters/authenticate.ts';
import type { McpAuthInfo } from '../src/verify/adapters/mcp-auth-info.ts';
import type { ConnectMiddleware } from '../src/verify/adapters/verify-express.ts';
import type { FastifyRequestLike } from '../src/verify/adapters/verify-fastify.ts';
import type { MandateClaims } from '../src/verify/core/mandate-claims.ts';
import type { Verifier } from '../src/verify/core/verifier.ts';
import type { RedisCommandClient } from '../src/verify/revocation/redis-revocation-source.ts';
import type { RevocationQuery, RevocationStore } from '../src/verify/revocation/revocation-store.ts';
import type { FetchLike } from '../src/transport/dispatch.ts';

export * as http from 'node:http';
export { context as otelContext, propagation } from '@opentelemetry/api';
export { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';

// Variables an example's surrounding code would hold.
export declare const caracal: Caracal;
export declare const options: CaracalOptions;
export declare const coordinatorUrl: string;
export declare const clientSecret: string;
export declare const secrets: { readonly caracal: string };
export declare const workerSessionId: string;
export declare const partnerSessionId: string;
export declare const agentSessionId: string;
export declare const runWorker: () => Promise<void>;
export declare const runAgent: () => Promise<void>;
export declare const fn: (context: CaracalContext) => Promise<void>;
export declare const agent: { run(task: string): Promise<string> };
export declare const task: string;
export declare const ctx: CaracalContext;
export declare const receivedContext: CaracalContext;
export declare const lineage: CaracalLineage;
export declare const handle: (...values: unknown[]) => unknown;
export declare const emitter: EventEmitter;
export declare const pool: { query(sql: string, callback: (error: Error | null, rows: unknown[]) => void): void };
export declare const sql: string;
export declare const reply: (rows: unknown[]) => void;
export declare const log: { info(value: unknown): void; warn(value: unknown): void };
export declare const logger: typeof log;
export declare const url: string;
export declare const token: string;
export declare const tokenSource: () => Promise<string>;
export declare const refreshAndRetry: () => Promise<void>;
export declare const error: unknown;

// Wire values.
export declare const header: string;
export declare const list: string;
export declare const key: string;
export declare const tenant: string;
export declare const system: string;
export declare const value: string;
export declare const entries: readonly BaggageEntry[];
export declare const parts: TraceparentParts;
export declare const fallback: Traceparent;

// Transports and retries.
export declare const policy: RetryPolicy;
export declare const exchangeOptions: WithTokenExchangeOptions;

// The receiving side.
export declare const issuer: string;
export declare const audience: string;
export declare const zoneId: string;
export declare const verifier: Verifier;
export declare const request: IncomingMessage;
export declare const response: ServerResponse;
export declare const handler: (request: CaracalIncomingMessage, response: ServerResponse) => unknown;
export declare const claims: MandateClaims;
export declare const store: RevocationStore;
export declare const query: RevocationQuery;
export declare const produce: (options: { signal: AbortSignal }) => AsyncIterable<string>;
export declare const redis: RedisCommandClient;
export declare const createClient: (options: { url: string }) => { connect(): Promise<RedisCommandClient & { duplicate(): RedisCommandClient }> };

/** `process` with only the environment variables Caracal reads: an example naming another is wrong. */
type CaracalVariable =
  | (typeof ENVIRONMENT_VARIABLES)[keyof typeof ENVIRONMENT_VARIABLES]
  // Read by the server (packages/server/src/main.ts) and the CLI.
  | 'CARACAL_ADMIN_TOKEN'
  | 'CARACAL_COORDINATOR_TOKEN'
  | 'CARACAL_DATA_DIR'
  | 'CARACAL_EVENT_SECRET'
  | 'CARACAL_PUBLIC_URL'
  | 'CARACAL_KEY_SECRET'
  | 'CARACAL_REDIS_KEY_PREFIX'
  | 'CARACAL_PREVIOUS_KEY_SECRET'
  | 'CARACAL_CONFIG'
  | 'CORS_ORIGINS'
  | 'DEBUG_LOGGING'
  | 'DATABASE_SCHEMA'
  | 'DATABASE_URL'
  | 'HOST'
  | 'LOG_LEVEL'
  | 'PORT'
  | 'REDIS_URL';
export declare const process: { readonly env: { readonly [name in CaracalVariable]?: string } };

// Third-party servers and clients, by the parts the examples use.
/** An Express app. */
export declare const app: {
  use(path: string, ...handlers: ConnectMiddleware[]): void;
  post(path: string, handler: (request: IncomingMessage & { body?: unknown }, response: ServerResponse) => unknown): void;
};
/** Express itself, for its JSON body parser. */
export declare const express: { json(): ConnectMiddleware };
/** A Fastify instance. */
export declare const fastify: {
  register(plugin: (instance: never, options: VerifyMiddlewareOptions, done: never) => void, options: VerifyMiddlewareOptions): Promise<void>;
  get(path: string, handler: (request: FastifyRequestLike) => unknown): void;
};
/** An MCP server transport (v1 node:http or v2 web-standard). */
export declare const transport: {
  handleRequest(request: Request, options?: { authInfo?: McpAuthInfo }): Promise<Response>;
  handleRequest(request: IncomingMessage, response: ServerResponse, body?: unknown): Promise<void>;
};
/** An MCP client transport. */
export declare const clientTransport: { send(message: unknown): Promise<void> };
/** An MCP client. */
export declare const client: {
  connect(transport: unknown): Promise<void>;
  callTool(request: { name: string; arguments?: Record<string, unknown> }): Promise<unknown>;
};
/** An MCP server. */
export declare const server: { setRequestHandler(schema: unknown, handler: (request: { params: { _meta?: Record<string, unknown> } }) => unknown): void };
export declare const CallToolRequestSchema: unknown;
export declare class StreamableHTTPClientTransport {
  constructor(url: URL, options?: { fetch?: FetchLike });
}
export declare class StdioClientTransport {
  constructor(options: { command: string; env?: Record<string, string | undefined> });
  send(message: unknown): Promise<void>;
}
/** @a2a-js/sdk's client side. */
export declare const message: { kind: 'message'; messageId: string; role: 'user'; parts: unknown[] };
export declare class JsonRpcTransportFactory {
  constructor(options: { fetchImpl: FetchLike });
}
export declare class DefaultAgentCardResolver {
  constructor(options: { fetchImpl: FetchLike });
}
export declare class ClientFactoryOptions {
  static readonly default: ClientFactoryOptions;
  static createFrom(base: ClientFactoryOptions, overrides: { transports?: JsonRpcTransportFactory[]; cardResolver?: DefaultAgentCardResolver }): ClientFactoryOptions;
}
export declare class ClientFactory {
  constructor(options: ClientFactoryOptions);
  createFromUrl(url: string): Promise<{ sendMessage(params: { message: typeof message }): Promise<unknown> }>;
}
/** @a2a-js/sdk's server side. */
export declare const requestHandler: unknown;
export declare const jsonRpcHandler: (options: { requestHandler: unknown; userBuilder: (request: IncomingMessage) => Promise<CaracalA2AUser> }) => ConnectMiddleware;

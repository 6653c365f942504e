/**
 * `@caracal/sdk/verify`: the receiving side. Verifies bearer mandates, rebuilds the caller's
 * context from verified claims, refuses replays, honours revocation as it is pushed (on every
 * request and every 4 KiB of a streamed response), and plugs into node:http, Express/Connect,
 * Fastify, web-standard handlers, and the MCP and A2A server SDKs. See docs/verify.md.
 * @since 0.1.0
 */

import { assertSupportedNode } from '../node-version.ts';

// On an older Node.js the import fails here, with one line naming the version needed: no module
// this entry loads fails before (undici, which would, is loaded on first use).
assertSupportedNode();

// The core verifier: signature, claims, policy, replay, the context rebuilt from claims.
export type { ActAsOptions, ActingUnder, EdgeCandidate } from './core/act-as.ts';
export { bearerToken } from './core/bearer-token.ts';
export type { CoordinatorEdgeTrustOptions } from './core/coordinator-edge-trust.ts';
export { coordinatorEdgeTrust } from './core/coordinator-edge-trust.ts';
export type { ActorClaim, MandateClaims } from './core/mandate-claims.ts';
export type { MandateRefusal, MandateRefusalReason } from './core/mandate-refusal.ts';
export { mandateRefusalReason } from './core/mandate-refusal.ts';
export type { RefusalResponse } from './core/refusal-response.ts';
export { refusalResponse } from './core/refusal-response.ts';
export type { VerifiedMandate, Verifier, VerifierOptions, VerifyOptions } from './core/verifier.ts';
export { createVerifier } from './core/verifier.ts';
export type { VerifierFetch, VerifierFetchResponse } from './core/verifier-fetch.ts';
export { MAX_TOKEN_LENGTH } from './core/verify-signature.ts';

// Revocation: the store and the sources that feed it.
export { eventSignatureVerifier } from './revocation/event-signature-verifier.ts';
export type { RedisCommandClient, RedisRevocationSourceOptions } from './revocation/redis-revocation-source.ts';
export { redisRevocationSource } from './revocation/redis-revocation-source.ts';
export type { RevocationEventFields } from './revocation/revocation-event.ts';
export { DELEGATIONS_INVALIDATE_TOPIC, SESSIONS_REVOKE_TOPIC } from './revocation/revocation-event.ts';
export type { RevocationSource, RevocationSourceCommonOptions } from './revocation/revocation-source.ts';
export { DEFAULT_FEED_DOWN_AFTER_MS } from './revocation/feed-health.ts';
export type { RevocationFeedHealth, RevocationFeedHealthListener, RevocationFeedState } from './revocation/feed-health.ts';
export type { Revocation, RevocationListener, RevocationQuery, RevocationStore, RevocationStoreOptions } from './revocation/revocation-store.ts';
export { createRevocationStore, DEFAULT_MAX_REVOCATIONS, REVOCATION_RETENTION_MS } from './revocation/revocation-store.ts';
export type { SseReconnectPolicy, SseRevocationSourceOptions } from './revocation/sse-revocation-source.ts';
export { sseRevocationSource } from './revocation/sse-revocation-source.ts';

// Framework adapters: `verify<Framework>` guards a server; `mcpAuthInfo` and `a2aUserBuilder`
// are named after the parameter of the MCP and A2A server SDKs they are passed to.
export type { CaracalA2AUser } from './adapters/a2a-user.ts';
export { a2aUserBuilder } from './adapters/a2a-user.ts';
export type { CaracalIncomingMessage } from './adapters/attach-verified.ts';
export type { VerifiedRequest, VerifyMiddlewareOptions } from './adapters/authenticate.ts';
export type { McpAuthInfo } from './adapters/mcp-auth-info.ts';
export { MCP_ACTING_METHODS } from '../model/mcp-acting-request.ts';
export { mcpAuthInfo } from './adapters/mcp-auth-info.ts';
export type { ConnectMiddleware } from './adapters/verify-express.ts';
export { verifyExpress } from './adapters/verify-express.ts';
export type { FastifyInstanceLike, FastifyReplyLike, FastifyRequestLike } from './adapters/verify-fastify.ts';
export { verifyFastify } from './adapters/verify-fastify.ts';
export { verifyFetch } from './adapters/verify-fetch.ts';
export type { VerifyNodeOptions } from './adapters/verify-node.ts';
export { verifyNode, verifyNodeMiddleware } from './adapters/verify-node.ts';

// Stream guards: revocation enforced while a response streams.
export type { ResponseGuard, ResponseGuardOptions } from './stream-guards/response-guard.ts';
export { guardResponse, REVOCATION_CHECK_BYTES, REVOKED_TRAILER } from './stream-guards/response-guard.ts';
export { guardWebResponse } from './stream-guards/web-response-guard.ts';

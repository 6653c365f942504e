/**
 * `@caracal/sdk/verify`: the receiving side. Verifies bearer mandates, rebuilds the caller's
 * context from verified claims, refuses replays, honours revocation as it is pushed (on every
 * request and every 4 KiB of a streamed response), and plugs into node:http, Express/Connect,
 * Fastify, web-standard handlers, and the MCP and A2A server SDKs. See docs/verify.md.
 * @since 0.1.0
 */
export type { CaracalA2AUser } from './adapters/a2a-user.ts';
export { a2aUserBuilder } from './adapters/a2a-user.ts';
export type { ActAsOptions, ActingUnder, EdgeCandidate } from './core/act-as.ts';
export type { CaracalIncomingMessage } from './adapters/attach-verified.ts';
export type { CaracalMiddlewareOptions, VerifiedRequest } from './adapters/authenticate.ts';
export { bearerToken } from './core/bearer-token.ts';
export type { CoordinatorEdgeTrustOptions } from './core/coordinator-edge-trust.ts';
export { coordinatorEdgeTrust } from './core/coordinator-edge-trust.ts';
export { eventSignatureVerifier } from './revocation/event-signature-verifier.ts';
export type { ConnectMiddleware } from './adapters/express-middleware.ts';
export { caracalExpress } from './adapters/express-middleware.ts';
export type { FastifyInstanceLike, FastifyReplyLike, FastifyRequestLike } from './adapters/fastify-plugin.ts';
export { caracalFastify } from './adapters/fastify-plugin.ts';
export { withCaracalFetch } from './adapters/fetch-handler.ts';
export type { FetchLike, FetchLikeResponse } from './core/fetch-like.ts';
export type { ActorClaim, MandateClaims } from './core/mandate-claims.ts';
export type { MandateRefusal, MandateRefusalReason } from './core/mandate-refusal.ts';
export { mandateRefusalReason } from './core/mandate-refusal.ts';
export type { McpAuthInfo } from './adapters/mcp-auth-info.ts';
export { mcpAuthInfo } from './adapters/mcp-auth-info.ts';
export type { WithCaracalOptions } from './adapters/node-middleware.ts';
export { caracalRequestHandler, withCaracal } from './adapters/node-middleware.ts';
export type { RedisCommandClient, RedisRevocationSourceOptions } from './revocation/redis-revocation-source.ts';
export { redisRevocationSource } from './revocation/redis-revocation-source.ts';
export type { RefusalResponse } from './core/refusal-response.ts';
export { refusalResponse } from './core/refusal-response.ts';
export type { ResponseGuard, ResponseGuardOptions } from './stream-guards/response-guard.ts';
export { guardResponse, REVOCATION_CHECK_BYTES, REVOKED_TRAILER } from './stream-guards/response-guard.ts';
export type { RevocationEventFields } from './revocation/revocation-event.ts';
export { DELEGATIONS_INVALIDATE_TOPIC, SESSIONS_REVOKE_TOPIC } from './revocation/revocation-event.ts';
export type { RevocationSource, RevocationSourceCommonOptions } from './revocation/revocation-source.ts';
export type { Revocation, RevocationListener, RevocationQuery, RevocationStore, RevocationStoreOptions } from './revocation/revocation-store.ts';
export { createRevocationStore, DEFAULT_MAX_REVOCATIONS, REVOCATION_RETENTION_MS } from './revocation/revocation-store.ts';
export type { SseReconnectPolicy, SseRevocationSourceOptions } from './revocation/sse-revocation-source.ts';
export { sseRevocationSource } from './revocation/sse-revocation-source.ts';
export type { VerifiedMandate, Verifier, VerifierOptions, VerifyOptions } from './core/verifier.ts';
export { createVerifier } from './core/verifier.ts';
export { MAX_TOKEN_LENGTH } from './core/verify-signature.ts';
export { guardWebResponse } from './stream-guards/web-response-guard.ts';

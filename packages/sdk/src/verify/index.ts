/**
 * `@caracal/sdk/verify`: the receiving side. Verifies bearer mandates, rebuilds the caller's
 * context from verified claims, refuses replays, honours revocation as it is pushed (on every
 * request and every 4 KiB of a streamed response), and plugs into node:http, Express/Connect,
 * Fastify, web-standard handlers, and the MCP and A2A server SDKs. See docs/verify.md.
 * @since 0.1.0
 */
export type { CaracalA2AUser } from './a2a-user.ts';
export { a2aUserBuilder } from './a2a-user.ts';
export type { ActAsOptions, ActingUnder, EdgeCandidate } from './act-as.ts';
export type { CaracalIncomingMessage } from './attach-verified.ts';
export type { CaracalMiddlewareOptions, VerifiedRequest } from './authenticate.ts';
export { bearerToken } from './bearer-token.ts';
export type { CoordinatorEdgeTrustOptions } from './coordinator-edge-trust.ts';
export { coordinatorEdgeTrust } from './coordinator-edge-trust.ts';
export { eventSignatureVerifier } from './event-signature-verifier.ts';
export type { ConnectMiddleware } from './express-middleware.ts';
export { caracalExpress } from './express-middleware.ts';
export type { FastifyInstanceLike, FastifyReplyLike, FastifyRequestLike } from './fastify-plugin.ts';
export { caracalFastify } from './fastify-plugin.ts';
export { withCaracalFetch } from './fetch-handler.ts';
export type { FetchLike, FetchLikeResponse } from './fetch-like.ts';
export type { ActorClaim, MandateClaims } from './mandate-claims.ts';
export type { MandateRefusal, MandateRefusalReason } from './mandate-refusal.ts';
export { mandateRefusalReason } from './mandate-refusal.ts';
export type { McpAuthInfo } from './mcp-auth-info.ts';
export { mcpAuthInfo } from './mcp-auth-info.ts';
export type { WithCaracalOptions } from './node-middleware.ts';
export { caracalRequestHandler, withCaracal } from './node-middleware.ts';
export type { RedisCommandClient, RedisRevocationSourceOptions } from './redis-revocation-source.ts';
export { redisRevocationSource } from './redis-revocation-source.ts';
export type { RefusalResponse } from './refusal-response.ts';
export { refusalResponse } from './refusal-response.ts';
export type { ResponseGuard, ResponseGuardOptions } from './response-guard.ts';
export { guardResponse, REVOCATION_CHECK_BYTES, REVOKED_TRAILER } from './response-guard.ts';
export type { RevocationEventFields } from './revocation-event.ts';
export { DELEGATIONS_INVALIDATE_TOPIC, SESSIONS_REVOKE_TOPIC } from './revocation-event.ts';
export type { RevocationSource, RevocationSourceCommonOptions } from './revocation-source.ts';
export type { Revocation, RevocationListener, RevocationQuery, RevocationStore, RevocationStoreOptions } from './revocation-store.ts';
export { createRevocationStore, DEFAULT_MAX_REVOCATIONS, REVOCATION_RETENTION_MS } from './revocation-store.ts';
export type { SseReconnectPolicy, SseRevocationSourceOptions } from './sse-revocation-source.ts';
export { sseRevocationSource } from './sse-revocation-source.ts';
export type { VerifiedMandate, Verifier, VerifierOptions, VerifyOptions } from './verifier.ts';
export { createVerifier } from './verifier.ts';
export { MAX_TOKEN_LENGTH } from './verify-signature.ts';
export { guardWebResponse } from './web-response-guard.ts';

// Type tests for `@caracal/sdk/verify`: the receiving side, checked against the real node:http and
// Fastify types users plug it into.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Fastify from 'fastify';
import type { CaracalContext, CaracalError } from '@caracal/sdk';
import {
  bearerToken,
  verifyExpress,
  verifyFastify,
  createRevocationStore,
  createVerifier,
  mandateRefusalReason,
  mcpAuthInfo,
  refusalResponse,
  sseRevocationSource,
  verifyNode,
  verifyFetch,
  type ConnectMiddleware,
  type MandateClaims,
  type MandateRefusal,
  type MandateRefusalReason,
  type McpAuthInfo,
  type VerifiedMandate,
  type VerifiedRequest,
  type Verifier,
} from '@caracal/sdk/verify';
import type * as verify from '@caracal/sdk/verify';
import { describe, expectTypeOf, test } from 'vitest';

declare const verifier: Verifier;
declare const verified: VerifiedMandate;
declare const request: IncomingMessage;
declare const thrown: unknown;

describe('@caracal/sdk/verify surface', () => {
  test('exports exactly these values', () => {
    expectTypeOf<keyof typeof verify>().toEqualTypeOf<
      | 'DEFAULT_FEED_DOWN_AFTER_MS'
      | 'DEFAULT_MAX_REVOCATIONS'
      | 'DELEGATIONS_INVALIDATE_TOPIC'
      | 'MAX_TOKEN_LENGTH'
      | 'MCP_ACTING_METHODS'
      | 'REVOCATION_CHECK_BYTES'
      | 'REVOCATION_RETENTION_MS'
      | 'REVOKED_TRAILER'
      | 'SESSIONS_REVOKE_TOPIC'
      | 'a2aUserBuilder'
      | 'bearerToken'
      | 'verifyExpress'
      | 'verifyFastify'
      | 'verifyNodeMiddleware'
      | 'coordinatorEdgeTrust'
      | 'createRevocationStore'
      | 'createVerifier'
      | 'eventSignatureVerifier'
      | 'guardResponse'
      | 'guardWebResponse'
      | 'mandateRefusalReason'
      | 'mcpAuthInfo'
      | 'redisRevocationSource'
      | 'refusalResponse'
      | 'sseRevocationSource'
      | 'verifyNode'
      | 'verifyFetch'
    >();
  });
});

describe('createVerifier', () => {
  test('needs issuer, zoneId and audience; revocation takes a store or a source', () => {
    expectTypeOf(createVerifier({ issuer: 'https://caracal.internal', zoneId: 'zone_prod', audience: 'mcp://tools.internal' })).toEqualTypeOf<Verifier>();
    void createVerifier({ issuer: 'i', zoneId: 'z', audience: ['a', 'b'], requiredScopes: ['tools:call'], maxHops: 4, revocation: createRevocationStore() });
    void createVerifier({ issuer: 'i', zoneId: 'z', audience: 'a', revocation: sseRevocationSource({ url: 'https://caracal.internal', zoneId: 'z', token: 't' }) });
    // @ts-expect-error -- audience is required: a verifier without one would accept any resource's mandate
    void createVerifier({ issuer: 'i', zoneId: 'z' });
    // @ts-expect-error -- misspelt option (requiredScopes)
    void createVerifier({ issuer: 'i', zoneId: 'z', audience: 'a', requireScopes: ['x'] });
    // @ts-expect-error -- oneShot is a boolean
    void createVerifier({ issuer: 'i', zoneId: 'z', audience: 'a', oneShot: 'yes' });
  });

  test('verify resolves to the claims and the context rebuilt from them', () => {
    expectTypeOf(verifier.verify('token')).toEqualTypeOf<Promise<VerifiedMandate>>();
    expectTypeOf(verifier.verify('token', { headers: request.headers, requiredScopes: ['x'] })).toEqualTypeOf<Promise<VerifiedMandate>>();
    expectTypeOf(verified.context).toEqualTypeOf<CaracalContext>();
    expectTypeOf(verified.claims).toEqualTypeOf<MandateClaims>();
    expectTypeOf(verified.claims.aud).toEqualTypeOf<string | readonly string[]>();
    expectTypeOf(verified.claims.hop_count).toEqualTypeOf<number>();
    expectTypeOf(verified.claims.agent_session_id).toEqualTypeOf<string | undefined>();
    expectTypeOf(verified.claims.delegation_path).toEqualTypeOf<readonly string[]>();
    expectTypeOf(verifier.close()).toEqualTypeOf<Promise<void>>();
    // @ts-expect-error -- verified claims are read-only
    verified.claims.scope = 'admin';
  });
});

describe('refusals', () => {
  test('a refusal is a MANDATE_INVALID CaracalError with a closed set of reasons', () => {
    expectTypeOf<MandateRefusal>().toExtend<CaracalError>();
    expectTypeOf<MandateRefusal['code']>().toEqualTypeOf<'MANDATE_INVALID'>();
    expectTypeOf(mandateRefusalReason(thrown)).toEqualTypeOf<MandateRefusalReason | undefined>();
    expectTypeOf<'expired' | 'wrong_audience' | 'insufficient_scope' | 'missing_token'>().toExtend<MandateRefusalReason>();
    expectTypeOf<string>().not.toExtend<MandateRefusalReason>();
    // @ts-expect-error -- no such reason, so the comparison is always false
    void (mandateRefusalReason(thrown) === 'expird');
  });

  test('refusalResponse is framework-neutral: status, headers, RFC 6750 body', () => {
    expectTypeOf(refusalResponse(thrown).status).toEqualTypeOf<401 | 403 | 503>();
    expectTypeOf(refusalResponse(thrown).headers).toEqualTypeOf<Readonly<Record<string, string>>>();
    expectTypeOf(refusalResponse(thrown).body).toEqualTypeOf<{ readonly error: string; readonly error_description: string }>();
  });

  test('bearerToken takes the raw Authorization header', () => {
    expectTypeOf(bearerToken(request.headers.authorization)).toEqualTypeOf<string>();
    expectTypeOf(bearerToken(null)).toEqualTypeOf<string>();
  });
});

describe('middleware', () => {
  test('verifyNode wraps a node:http listener; the handler sees request.caracal', () => {
    const listener = verifyNode(
      (incoming, response) => {
        expectTypeOf(incoming.caracal).toEqualTypeOf<VerifiedRequest | undefined>();
        expectTypeOf(incoming.auth).toEqualTypeOf<McpAuthInfo | undefined>();
        expectTypeOf(response).toEqualTypeOf<ServerResponse>();
      },
      { verifier, requiredScopes: ['billing:read'] },
    );
    void createServer(listener);
    // @ts-expect-error -- the verifier is required
    void verifyNode(() => undefined, { requiredScopes: ['billing:read'] });
  });

  test('a verified request exposes both contexts and a revocation signal', () => {
    expectTypeOf<VerifiedRequest['context']>().toEqualTypeOf<CaracalContext>();
    expectTypeOf<VerifiedRequest['callerContext']>().toEqualTypeOf<CaracalContext>();
    expectTypeOf<VerifiedRequest['signal']>().toEqualTypeOf<AbortSignal>();
    expectTypeOf<VerifiedRequest>().toExtend<VerifiedMandate>();
  });

  test('verifyExpress is Connect middleware', () => {
    expectTypeOf(verifyExpress({ verifier })).toEqualTypeOf<ConnectMiddleware>();
    expectTypeOf<ConnectMiddleware>().parameters.toEqualTypeOf<[request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void]>();
  });

  test('verifyFastify registers on a real Fastify instance, with its options checked', async () => {
    const app = Fastify();
    await app.register(verifyFastify, { verifier, requiredScopes: ['tools:call'] });
    // @ts-expect-error -- options (with the verifier) are required
    await app.register(verifyFastify);
    // @ts-expect-error -- misspelt option (verifier)
    await app.register(verifyFastify, { verifer: verifier });
  });

  test('verifyFetch wraps a web-standard handler', () => {
    const handle = verifyFetch((incoming, verifiedRequest) => {
      expectTypeOf(incoming).toEqualTypeOf<Request>();
      return Response.json({ client: verifiedRequest.claims.client_id });
    }, { verifier });
    expectTypeOf(handle).toEqualTypeOf<(request: Request) => Promise<Response>>();
    expectTypeOf(mcpAuthInfo(verified)).toEqualTypeOf<McpAuthInfo>();
    // @ts-expect-error -- handlers answer with a Response
    void verifyFetch(() => 'ok', { verifier });
  });
});

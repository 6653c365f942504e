import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { badRequest, notFound } from '../../http/server-error.ts';
import type { StsRuntime } from '../sts-runtime.ts';
import { TOKEN_EXCHANGE_GRANT } from '../token/token-exchange-grant.ts';

/** JWKS freshness: short, so verifiers notice rotations well inside any grace period. */
const JWKS_MAX_AGE_SECONDS = 60;

/** `GET /.well-known/jwks.json?zone_id=…` and RFC 8414 metadata. */
export function registerWellKnownRoutes(app: FastifyInstance, runtime: StsRuntime): void {
  app.get('/.well-known/jwks.json', async (request, reply) => {
    const zoneId = (request.query as { zone_id?: unknown }).zone_id;
    if (typeof zoneId !== 'string' || zoneId === '') throw badRequest('zone_id is required: keys are per zone');
    const keys = await runtime.keyStore.publishedKeys(zoneId, runtime.context.now());
    if (keys === undefined) throw notFound(`zone ${zoneId} does not exist`);
    const body = JSON.stringify({ keys });
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
    void reply.header('cache-control', `public, max-age=${JWKS_MAX_AGE_SECONDS}`).header('etag', etag);
    if (request.headers['if-none-match'] === etag) return reply.status(304).send();
    return reply.type('application/json').send(body);
  });

  app.get('/.well-known/oauth-authorization-server', async (request, reply) => {
    const issuer = runtime.context.config.issuer;
    const zoneId = (request.query as { zone_id?: unknown }).zone_id;
    const jwksUri = `${issuer}/.well-known/jwks.json${typeof zoneId === 'string' && zoneId !== '' ? `?zone_id=${encodeURIComponent(zoneId)}` : ''}`;
    void reply.header('cache-control', 'public, max-age=300');
    return {
      issuer,
      token_endpoint: `${issuer}/oauth/2/token`,
      jwks_uri: jwksUri,
      grant_types_supported: ['client_credentials', TOKEN_EXCHANGE_GRANT],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      response_types_supported: [],
      // RFC 8707: per-call mandates name exactly one resource.
      resource_indicators_supported: true,
      subject_token_types_supported: ['urn:ietf:params:oauth:token-type:access_token', 'urn:ietf:params:oauth:token-type:jwt'],
      token_signing_alg_values_supported: ['ES256'],
      verify_endpoint: `${issuer}/v1/verify`,
    };
  });
}

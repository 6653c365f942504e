import { createHash } from 'node:crypto';
import {
  ACCESS_TOKEN_TYPE,
  AuthorizationServerMetadata,
  CLIENT_CREDENTIALS_GRANT,
  ErrorBody,
  Jwks,
  JwksQuery,
  JWT_TOKEN_TYPE,
  MetadataQuery,
  TOKEN_EXCHANGE_GRANT,
} from '@caracal/protocol';
import { Type } from 'typebox';
import { notFound } from '../../http/server-error.ts';
import type { StsRuntime } from '../sts-runtime.ts';
import type { RoutePlugin } from '../../http/route-plugin.ts';

/** JWKS freshness: short, so verifiers notice rotations well inside any grace period. */
const JWKS_MAX_AGE_SECONDS = 60;

/** `GET /.well-known/jwks.json?zone_id=…` and RFC 8414 metadata. */
export const wellKnownRoutes: RoutePlugin<{ runtime: StsRuntime }> = async (app, { runtime }) => {
  app.get(
    '/.well-known/jwks.json',
    { schema: { querystring: JwksQuery, response: { 200: Jwks, 304: Type.Null(), '4xx': ErrorBody } } },
    async (request, reply) => {
      const zoneId = request.query.zone_id;
      const keys = await runtime.keyStore.publishedKeys(zoneId, runtime.context.now());
      if (keys === undefined) throw notFound(`zone ${zoneId} does not exist`);
      // Serialization is deterministic, so equal key sets give equal bodies and equal tags.
      const etag = `"${createHash('sha256').update(JSON.stringify(keys)).digest('base64url').slice(0, 32)}"`;
      void reply.header('cache-control', `public, max-age=${JWKS_MAX_AGE_SECONDS}`).header('etag', etag);
      if (request.headers['if-none-match'] === etag) return reply.status(304).send(null);
      return { keys };
    },
  );

  app.get(
    '/.well-known/oauth-authorization-server',
    { schema: { querystring: MetadataQuery, response: { 200: AuthorizationServerMetadata } } },
    async (request, reply) => {
      const issuer = runtime.context.config.issuer;
      const zoneId = request.query.zone_id;
      const jwksUri = `${issuer}/.well-known/jwks.json${zoneId === undefined || zoneId === '' ? '' : `?zone_id=${encodeURIComponent(zoneId)}`}`;
      void reply.header('cache-control', 'public, max-age=300');
      return {
        issuer,
        token_endpoint: `${issuer}/oauth/2/token`,
        jwks_uri: jwksUri,
        grant_types_supported: [CLIENT_CREDENTIALS_GRANT, TOKEN_EXCHANGE_GRANT],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
        response_types_supported: [],
        // RFC 8707: per-call mandates name exactly one resource.
        resource_indicators_supported: true,
        subject_token_types_supported: [ACCESS_TOKEN_TYPE, JWT_TOKEN_TYPE],
        token_signing_alg_values_supported: ['ES256'],
        verify_endpoint: `${issuer}/v1/verify`,
      };
    },
  );
};

import { Type, type Static } from 'typebox';
import { Name } from '../primitives.ts';

/** `?zone_id=` of the JWKS: keys are per zone, so it is required. */
export const JwksQuery = Type.Object({ zone_id: Name });
export type JwksQuery = Static<typeof JwksQuery>;

/** `?zone_id=` of the metadata document: when given, its `jwks_uri` names that zone. */
export const MetadataQuery = Type.Object({ zone_id: Type.Optional(Type.String()) });
export type MetadataQuery = Static<typeof MetadataQuery>;

/** One public signing key (RFC 7517) of a zone: P-256, ES256. */
export const PublicJwk = Type.Object({
  kty: Type.String(),
  crv: Type.String(),
  x: Type.String(),
  y: Type.String(),
  kid: Type.String(),
  alg: Type.String(),
  use: Type.String(),
});
export type PublicJwk = Static<typeof PublicJwk>;

/** `GET /.well-known/jwks.json?zone_id=…`. */
export const Jwks = Type.Object({ keys: Type.Array(PublicJwk) });
export type Jwks = Static<typeof Jwks>;

/** `GET /.well-known/oauth-authorization-server` (RFC 8414), plus the verify endpoint. */
export const AuthorizationServerMetadata = Type.Object({
  issuer: Type.String(),
  token_endpoint: Type.String(),
  jwks_uri: Type.String(),
  grant_types_supported: Type.Array(Type.String()),
  token_endpoint_auth_methods_supported: Type.Array(Type.String()),
  response_types_supported: Type.Array(Type.String()),
  resource_indicators_supported: Type.Boolean(),
  subject_token_types_supported: Type.Array(Type.String()),
  token_signing_alg_values_supported: Type.Array(Type.String()),
  verify_endpoint: Type.String(),
});
export type AuthorizationServerMetadata = Static<typeof AuthorizationServerMetadata>;

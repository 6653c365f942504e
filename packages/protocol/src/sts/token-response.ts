import { Type, type Static } from 'typebox';

/**
 * A token endpoint success (RFC 6749 §5.1, RFC 8693 §2.2.1), also the operator-token answer.
 * `issued_token_type` comes with token exchange only.
 */
export const TokenResponse = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer(),
  scope: Type.String(),
  issued_token_type: Type.Optional(Type.String()),
});
export type TokenResponse = Static<typeof TokenResponse>;

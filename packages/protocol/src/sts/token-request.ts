import { Type, type Static } from 'typebox';
import { SCOPE_LIST_PATTERN } from '../patterns.ts';
import { AgentSessionId, DelegationEdgeId, ResourceId } from '../primitives.ts';
import { ACCESS_TOKEN_TYPE, JWT_TOKEN_TYPE } from './token-grants.ts';

const TokenType = Type.Union([Type.Literal(ACCESS_TOKEN_TYPE), Type.Literal(JWT_TOKEN_TYPE)]);

/**
 * The form of `POST /oauth/2/token`, both grants in one object: client_credentials reads the
 * client fields and `scope`, token exchange (RFC 8693 §2.1) the rest. Each field is one value;
 * empty values count as absent (RFC 6749 §3.1) and unknown parameters are ignored (§3.2), so
 * the object stays open. Client ids and secrets are left unshaped here: a wrong one is
 * `invalid_client` (401), which client authentication answers, not a malformed request.
 */
export const TokenRequestForm = Type.Object({
  grant_type: Type.String(),
  client_id: Type.Optional(Type.String()),
  client_secret: Type.Optional(Type.String()),
  scope: Type.Optional(Type.String({ pattern: SCOPE_LIST_PATTERN })),
  subject_token: Type.Optional(Type.String()),
  subject_token_type: Type.Optional(TokenType),
  requested_token_type: Type.Optional(TokenType),
  actor_token: Type.Optional(Type.String()),
  resource: Type.Optional(ResourceId),
  audience: Type.Optional(Type.String()),
  agent_session_id: Type.Optional(AgentSessionId),
  delegation_edge_id: Type.Optional(DelegationEdgeId),
  /** Token exchange only: `protocol` asks for a mandate that authorizes no acting request and spends no budget. @default call */
  mandate_use: Type.Optional(Type.Union([Type.Literal('call'), Type.Literal('protocol')])),
});
export type TokenRequestForm = Static<typeof TokenRequestForm>;

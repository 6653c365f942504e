import {
  agentSessionIdSchema,
  constraintsSchema,
  edgeIdSchema,
  nameSchema,
  paginationProperties,
  resourceIdSchema,
  scopesSchema,
  secondsSchema,
  timestampSchema,
} from '../shared/common-schemas.ts';

/** Fields of an edge creation shared by `POST /zones/{zoneId}/delegations` and seed 003 `/v1/exchange`. */
export const delegationProperties = {
  source_session_id: agentSessionIdSchema,
  target_session_id: agentSessionIdSchema,
  issuer_application_id: nameSchema,
  receiver_application_id: nameSchema,
  scopes: { ...scopesSchema, minItems: 1 },
  resource_id: resourceIdSchema,
  constraints: constraintsSchema,
  constraints_json: constraintsSchema,
  expires_at: timestampSchema,
  ttl_seconds: secondsSchema,
  parent_edge_id: edgeIdSchema,
} as const;

export const createDelegationBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['source_session_id', 'target_session_id', 'scopes'],
  properties: delegationProperties,
} as const;

export const listDelegationsQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    source_session_id: agentSessionIdSchema,
    target_session_id: agentSessionIdSchema,
    status: { type: 'string', enum: ['active', 'revoked', 'expired'] },
    ...paginationProperties,
  },
} as const;

import {
  agentSessionIdSchema,
  capabilitiesSchema,
  constraintsSchema,
  labelsSchema,
  metadataSchema,
  nameSchema,
  paginationProperties,
  resourceIdSchema,
  scopesSchema,
  secondsSchema,
} from '../shared/common-schemas.ts';

export const grantSchema = {
  oneOf: [
    { type: 'string', enum: ['inherit', 'none'] },
    {
      type: 'object',
      additionalProperties: false,
      required: ['mode'],
      properties: {
        mode: { type: 'string', enum: ['inherit', 'narrow', 'none'] },
        scopes: scopesSchema,
        resource_id: resourceIdSchema,
        constraints: constraintsSchema,
      },
    },
  ],
} as const;

/** Fields of a spawn shared by `POST /zones/{zoneId}/agents` and seed 003 `/v1/begin`. */
export const spawnProperties = {
  application_id: nameSchema,
  parent_id: agentSessionIdSchema,
  kind: { type: 'string', enum: ['service', 'instance', 'ephemeral'] },
  capabilities: capabilitiesSchema,
  ttl_seconds: secondsSchema,
  labels: labelsSchema,
  metadata: metadataSchema,
  grant: grantSchema,
  session_sid: { type: 'string', minLength: 1, maxLength: 256 },
} as const;

export const spawnBodySchema = { type: 'object', additionalProperties: false, properties: spawnProperties } as const;

export const listSessionsQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: ['active', 'suspended', 'terminated'] },
    application_id: nameSchema,
    parent_id: agentSessionIdSchema,
    ...paginationProperties,
  },
} as const;

export const childrenQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: { status: listSessionsQuerySchema.properties.status, ...paginationProperties },
} as const;



import { agentSessionIdSchema, capabilitiesSchema, metadataSchema, nameSchema, paginationProperties } from '../shared/common-schemas.ts';

const leaseSecondsSchema = { type: 'integer', minimum: 5, maximum: 86_400 } as const;
const serviceNameSchema = { type: 'string', minLength: 1, maxLength: 128 } as const;

export const registerServiceBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: serviceNameSchema,
    application_id: nameSchema,
    agent_session_id: agentSessionIdSchema,
    endpoint: { type: 'string', pattern: '^[\\x21-\\x7e]{1,2048}$' },
    capabilities: capabilitiesSchema,
    metadata: metadataSchema,
    lease_seconds: leaseSecondsSchema,
  },
} as const;

export const heartbeatBodySchema = {
  type: 'object',
  additionalProperties: false,
  properties: { lease_seconds: leaseSecondsSchema },
} as const;

export const listServicesQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: ['healthy', 'unhealthy', 'deregistered'] },
    application_id: nameSchema,
    name: serviceNameSchema,
    ...paginationProperties,
  },
} as const;

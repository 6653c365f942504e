import { agentSessionIdSchema, idPatterns, metadataSchema, paginationProperties, secondsSchema, timestampSchema } from '../shared/common-schemas.ts';

const serviceIdSchema = { type: 'string', pattern: idPatterns.svc } as const;

export const createInvocationBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['agent_session_id', 'operation'],
  properties: {
    agent_session_id: agentSessionIdSchema,
    operation: { type: 'string', minLength: 1, maxLength: 256 },
    service_id: serviceIdSchema,
    input: metadataSchema,
    metadata: metadataSchema,
    deadline_at: timestampSchema,
    timeout_seconds: secondsSchema,
  },
} as const;

export const completeInvocationBodySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: ['succeeded', 'failed'] },
    output: {},
    error: {},
  },
} as const;

export const cancelInvocationBodySchema = {
  type: 'object',
  additionalProperties: false,
  properties: { reason: { type: 'string', minLength: 1, maxLength: 512 } },
} as const;

export const listInvocationsQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: ['pending', 'running', 'succeeded', 'failed', 'cancelled', 'expired'] },
    agent_session_id: agentSessionIdSchema,
    service_id: serviceIdSchema,
    ...paginationProperties,
  },
} as const;

/**
 * Building blocks of the Coordinator's JSON schemas. Every body and query refuses unknown fields,
 * and every id is checked by shape, so bad input is a 400 before any SQL runs.
 */

const ID_TAIL = '[0-9a-hjkmnp-tv-z]{26}';

export const idPatterns = {
  agentsess: `^agentsess_${ID_TAIL}$`,
  deledge: `^deledge_${ID_TAIL}$`,
  inv: `^inv_${ID_TAIL}$`,
  svc: `^svc_${ID_TAIL}$`,
} as const;

/** Zone and application ids (OAuth client ids): short, printable, no spaces. */
export const nameSchema = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$' } as const;

export const agentSessionIdSchema = { type: 'string', pattern: idPatterns.agentsess } as const;
export const edgeIdSchema = { type: 'string', pattern: idPatterns.deledge } as const;

/** RFC 6749 scope-token. */
export const scopeSchema = { type: 'string', pattern: '^[\\x21\\x23-\\x5b\\x5d-\\x7e]{1,128}$' } as const;
export const scopesSchema = { type: 'array', maxItems: 64, uniqueItems: true, items: scopeSchema } as const;

/** A resource identifier such as `mcp://tools.local` (RFC 8707 `resource`). */
export const resourceIdSchema = { type: 'string', pattern: '^[\\x21-\\x7e]{1,512}$' } as const;

export const timestampSchema = { type: 'string', format: 'date-time', maxLength: 40 } as const;

/** Seconds from now; a year at most. */
export const secondsSchema = { type: 'integer', minimum: 1, maximum: 31_536_000 } as const;

export const labelsSchema = {
  type: 'object',
  maxProperties: 64,
  propertyNames: { maxLength: 128 },
  additionalProperties: { type: 'string', maxLength: 512 },
} as const;

export const metadataSchema = { type: 'object', maxProperties: 64 } as const;

export const capabilitiesSchema = {
  type: 'array',
  maxItems: 64,
  items: { type: 'string', minLength: 1, maxLength: 128 },
} as const;

/** Delegation caveats (seed 003 `constraints_json`). */
export const constraintsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ttl_seconds: secondsSchema,
    max_hops: { type: 'integer', minimum: 1, maximum: 32 },
    budget: { type: 'integer', minimum: 0, maximum: 2_147_483_647 },
    policy_approved: { type: 'boolean' },
  },
} as const;

export const zoneParamsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['zoneId'],
  properties: { zoneId: nameSchema },
} as const;

/** `{ zoneId, id }` path parameters where `id` has the given prefix pattern. */
export function zoneAndIdParamsSchema(pattern: string) {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['zoneId', 'id'],
    properties: { zoneId: nameSchema, id: { type: 'string', pattern } },
  } as const;
}

/** Query strings arrive as text (types are never coerced), so `limit` is digits checked later. */
export const paginationProperties = {
  limit: { type: 'string', pattern: '^[0-9]{1,4}$' },
  cursor: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,200}$' },
} as const;

/** Action routes (suspend, resume, revoke, start…) take no fields; `{}` or no body at all. */
export const emptyBodySchema = { type: 'object', additionalProperties: false, properties: {} } as const;

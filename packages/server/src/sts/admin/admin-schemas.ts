import { badRequest } from '../../http/server-error.ts';
import { IDENTIFIER_PATTERN } from '../identity/identity-rows.ts';

/** JSON-schema pieces of the admin API (fastify validates with coercion off). */
export const SCOPE_LIST_SCHEMA = {
  type: 'array',
  items: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[\\x21\\x23-\\x5b\\x5d-\\x7e]+$' },
  maxItems: 200,
  uniqueItems: true,
} as const;

export const RESOURCE_IDENTIFIER_SCHEMA = { type: 'string', maxLength: 2048, pattern: '^[A-Za-z][A-Za-z0-9+.-]*:[^\\s#]+$' } as const;

export const IDENTIFIER_SCHEMA = { type: 'string', pattern: IDENTIFIER_PATTERN } as const;

export const ZONE_PARAMS_SCHEMA = {
  type: 'object',
  properties: { zoneId: { type: 'string', minLength: 1, maxLength: 128 } },
  required: ['zoneId'],
} as const;

export const CREATE_ZONE_SCHEMA = {
  type: 'object',
  properties: { id: IDENTIFIER_SCHEMA, name: { type: 'string', minLength: 1, maxLength: 200 } },
  additionalProperties: false,
} as const;

export const CREATE_APPLICATION_SCHEMA = {
  type: 'object',
  properties: {
    id: IDENTIFIER_SCHEMA,
    name: { type: 'string', minLength: 1, maxLength: 200 },
    scopes: SCOPE_LIST_SCHEMA,
    admin: { type: 'boolean' },
  },
  additionalProperties: false,
} as const;

export const CREATE_RESOURCE_SCHEMA = {
  type: 'object',
  properties: { identifier: RESOURCE_IDENTIFIER_SCHEMA, id: RESOURCE_IDENTIFIER_SCHEMA, scopes: SCOPE_LIST_SCHEMA },
  required: ['scopes'],
  additionalProperties: false,
} as const;

export const ROTATE_KEYS_SCHEMA = {
  type: 'object',
  properties: { grace_seconds: { type: 'integer', minimum: 0, maximum: 30 * 24 * 3600 } },
  additionalProperties: false,
} as const;

export const OPERATOR_TOKEN_SCHEMA = {
  type: 'object',
  properties: { ttl_seconds: { type: 'integer', minimum: 60, maximum: 24 * 3600 } },
  additionalProperties: false,
} as const;

/** `limit` (1–500, default 100) and `cursor` from a query string. */
export function readPage(query: unknown): { limit: number; cursor: string | undefined } {
  const { limit, cursor } = (query ?? {}) as { limit?: unknown; cursor?: unknown };
  let parsedLimit = 100;
  if (limit !== undefined) {
    parsedLimit = typeof limit === 'string' && /^\d{1,3}$/.test(limit) ? Number(limit) : Number.NaN;
    if (!(parsedLimit >= 1 && parsedLimit <= 500)) throw badRequest('limit must be an integer 1–500');
  }
  if (cursor !== undefined && (typeof cursor !== 'string' || cursor.length > 400)) throw badRequest('cursor is malformed');
  return { limit: parsedLimit, cursor: cursor === '' ? undefined : (cursor as string | undefined) };
}

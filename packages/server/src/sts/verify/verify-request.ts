import { badRequest } from '../../http/server-error.ts';
import { isScopeToken } from '../http/scopes.ts';

/** The `/v1/verify` body (seed 003). */
export interface VerifyRequest {
  token: string;
  requiredScopes: string[];
  requireAgent: boolean;
  requireDelegation: boolean;
  maxHops: number | undefined;
  audience: string | undefined;
}

const FIELDS = new Set(['token', 'required_scopes', 'require_agent', 'require_delegation', 'max_hops', 'audience']);

/** Reads the body and the bearer header; the body's token wins when both are present. */
export function readVerifyRequest(body: unknown, authorization: string | undefined): VerifyRequest {
  const fields = body === undefined || body === null ? {} : body;
  if (typeof fields !== 'object' || Array.isArray(fields)) throw badRequest('the body must be a JSON object');
  const record = fields as Record<string, unknown>;
  for (const name of Object.keys(record)) if (!FIELDS.has(name)) throw badRequest(`unknown field ${name}`);
  const bearer = typeof authorization === 'string' && /^bearer /i.test(authorization) ? authorization.slice(7).trim() : undefined;
  const token = record.token ?? bearer;
  if (typeof token !== 'string' || token === '') throw badRequest('token is required (body or Authorization: Bearer)');
  if (token.length > 16_384) throw badRequest('token is too long');
  return {
    token,
    requiredScopes: readScopes(record.required_scopes),
    requireAgent: readFlag(record.require_agent, 'require_agent'),
    requireDelegation: readFlag(record.require_delegation, 'require_delegation'),
    maxHops: readMaxHops(record.max_hops),
    audience: readAudience(record.audience),
  };
}

function readScopes(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const list = typeof value === 'string' ? value.split(' ').filter((scope) => scope !== '') : value;
  if (!Array.isArray(list) || !list.every(isScopeToken)) throw badRequest('required_scopes must be a list of scope tokens');
  return list;
}

function readFlag(value: unknown, name: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw badRequest(`${name} must be a boolean`);
  return value;
}

function readMaxHops(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 32) throw badRequest('max_hops must be an integer 0–32');
  return value;
}

function readAudience(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value === '') throw badRequest('audience must be a non-empty string');
  return value;
}

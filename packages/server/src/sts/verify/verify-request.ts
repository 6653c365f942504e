import { VERIFY_TOKEN_MAX_LENGTH, type VerifyBody } from '@caracal/protocol';
import { badRequest } from '../../http/server-error.ts';
import { splitScopeList } from '../http/scopes.ts';

/** A `/v1/verify` request with its defaults applied (nulls were read as absent: withoutSeedNulls). */
export interface VerifyRequest {
  token: string;
  /** The zone the caller expects the mandate to belong to. */
  zoneId: string | undefined;
  requiredScopes: string[];
  requireAgent: boolean;
  requireDelegation: boolean;
  maxHops: number | undefined;
  audience: string | undefined;
}

/** Reads the checked body and the bearer header; the body's token wins when both are present. */
export function readVerifyRequest(body: VerifyBody, authorization: string | undefined): VerifyRequest {
  const bearer = typeof authorization === 'string' && /^bearer /i.test(authorization) ? authorization.slice(7).trim() : undefined;
  const token = body.token ?? bearer;
  if (token === undefined || token === '') throw badRequest('token is required (body or Authorization: Bearer)');
  if (token.length > VERIFY_TOKEN_MAX_LENGTH) throw badRequest('token is too long');
  const scopes = body.required_scopes ?? [];
  return {
    token,
    zoneId: body.zone_id,
    requiredScopes: typeof scopes === 'string' ? splitScopeList(scopes) : scopes,
    requireAgent: body.require_agent ?? false,
    requireDelegation: body.require_delegation ?? false,
    maxHops: body.max_hops ?? undefined,
    audience: body.audience ?? undefined,
  };
}

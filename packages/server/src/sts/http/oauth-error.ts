import { ServerError } from '../../http/server-error.ts';

/** The token endpoint's error codes (RFC 6749 §5.2, RFC 8693 §2.2.2, RFC 8707 §2). */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'invalid_scope'
  | 'invalid_target'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'access_denied';

/**
 * RFC 6749 answers 400 unless told otherwise: invalid_client is 401, and a policy refusal
 * (revoked, suspended, exhausted) is 403 so clients never mistake it for a malformed request.
 */
const STATUS: Record<OAuthErrorCode, number> = {
  invalid_request: 400,
  invalid_client: 401,
  invalid_grant: 400,
  invalid_scope: 400,
  invalid_target: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  access_denied: 403,
};

/** A token endpoint refusal, rendered by the shared error handler as `{ error, error_description }`. */
export function oauthError(
  code: OAuthErrorCode,
  description: string,
  options: { headers?: Record<string, string> } = {},
): ServerError {
  return new ServerError(STATUS[code], code, description, { headers: options.headers });
}

/** 429 with `Retry-After`, for the client-authentication and verify rate limits. */
export function rateLimited(description: string, retryAfterSeconds: number): ServerError {
  return new ServerError(429, 'rate_limited', description, {
    headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
  });
}

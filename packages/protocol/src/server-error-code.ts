/**
 * Every `error` code the server can answer, in `{ error, error_description }` bodies and in the
 * `{ valid: false, error }` answers of `POST /v1/verify`. docs/errors.md lists each with its status
 * and what a client should do; a test keeps the two equal. Typed constructors take only these, so
 * a new code cannot reach the wire without being listed here.
 */
export const SERVER_ERROR_CODES = [
  // Any route.
  'invalid_request',
  'invalid_token',
  'insufficient_scope',
  'forbidden',
  'not_found',
  'conflict',
  'request_too_large',
  'unsupported_media_type',
  'rate_limited',
  'temporarily_unavailable',
  'server_error',
  // The token endpoint (RFC 6749 §5.2, RFC 8693 §2.2.2, RFC 8707 §2).
  'invalid_client',
  'invalid_grant',
  'invalid_scope',
  'invalid_target',
  'unauthorized_client',
  'unsupported_grant_type',
  'access_denied',
  // The Coordinator's refusals.
  'authority_exceeded',
  'max_hops_exceeded',
  'lifetime_exceeded',
  'cycle_detected',
  'session_not_active',
  'edge_not_active',
  'ambiguous_parent_edge',
  'application_mismatch',
  'service_deregistered',
  'deadline_exceeded',
  'invalid_state',
  'idempotency_key_reused',
  'limit_exceeded',
  'concurrent_change',
  'seats_missing',
  // The Agent Coordinator session routes (docs/sessions.md).
  'session_active',
  'run_not_finished',
  'no_result',
  // Runs and runners (`/runs`, `/runner/…`).
  'invalid_transition',
  'not_run_owner',
  // Blueprints (docs/blueprints.md).
  'blueprint_inactive',
  // `POST /v1/verify` answers `{ valid: false, error }` (status 200) with these.
  'token_expired',
  'token_not_yet_valid',
  'invalid_issuer',
  'invalid_audience',
  'wrong_use',
  'wrong_zone',
  'revoked',
  'agent_required',
  'delegation_required',
  'hop_limit_exceeded',
] as const;

export type ServerErrorCode = (typeof SERVER_ERROR_CODES)[number];

const KNOWN: ReadonlySet<string> = new Set(SERVER_ERROR_CODES);

/** True for a code of the list: for codes that arrive as text (a SQL refusal's DETAIL). */
export function isServerErrorCode(value: unknown): value is ServerErrorCode {
  return typeof value === 'string' && KNOWN.has(value);
}

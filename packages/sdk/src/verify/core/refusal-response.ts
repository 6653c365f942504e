import { isCaracalError } from '../../errors.ts';
import { mandateRefusalReason } from './mandate-refusal.ts';

/**
 * The HTTP answer for a failed verification, framework-neutral: every middleware writes this.
 * @since 0.1.0
 */
export interface RefusalResponse {
  /** 401 for a bad, missing, revoked or replayed mandate; 403 for missing scopes; 503 when the zone keys cannot be fetched. */
  readonly status: 401 | 403 | 503;
  readonly headers: Readonly<Record<string, string>>;
  /** The wire error shape (docs/decisions/2026-12-04-wire-conventions.md). */
  readonly body: { readonly error: string; readonly error_description: string };
}

/** Makes text safe inside an RFC 7235 quoted-string. */
function quoted(text: string): string {
  return `"${text.replace(/[\\"]/g, '').replace(/[^\x20-\x7e]/g, ' ')}"`;
}

function challenge(error: string, description: string, extra = ''): string {
  return `Bearer error=${quoted(error)}, error_description=${quoted(description)}${extra}`;
}

/**
 * Maps an error from `verify()` onto the RFC 6750 answer: `401 invalid_token` with a
 * `WWW-Authenticate: Bearer error="invalid_token"` challenge, `403 insufficient_scope` naming the
 * required scopes, and `503 temporarily_unavailable` (with `Retry-After`) for anything that is not
 * the mandate's fault — the receiver fails closed but does not blame the caller.
 * @example
 * const { status, headers, body } = refusalResponse(error);
 * response.writeHead(status, headers).end(JSON.stringify(body));
 * @since 0.1.0
 */
export function refusalResponse(error: unknown): RefusalResponse {
  const json = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
  if (!isCaracalError(error) || !error.code.startsWith('MANDATE_')) {
    const description =
      isCaracalError(error) && error.code === 'REVOCATION_UNAVAILABLE'
        ? 'The mandate could not be checked right now (revocation feed down); retry shortly.'
        : 'The mandate could not be checked right now (zone keys unavailable); retry shortly.';
    return { status: 503, headers: { ...json, 'retry-after': '5' }, body: { error: 'temporarily_unavailable', error_description: description } };
  }
  const reason = mandateRefusalReason(error);
  if (reason === 'insufficient_scope') {
    const scopes = (error as { requiredScopes?: readonly string[] }).requiredScopes ?? [];
    const scope = scopes.length > 0 ? `, scope=${quoted(scopes.join(' '))}` : '';
    return { status: 403, headers: { ...json, 'www-authenticate': challenge('insufficient_scope', error.message, scope) }, body: { error: 'insufficient_scope', error_description: error.message } };
  }
  return { status: 401, headers: { ...json, 'www-authenticate': challenge('invalid_token', error.message) }, body: { error: 'invalid_token', error_description: error.message } };
}

import { refuseMandate } from './mandate-refusal.ts';

/**
 * The token of an `Authorization: Bearer <token>` header (scheme in any case, RFC 6750 §2.1).
 * Throws `MANDATE_INVALID` `missing_token` when there is none and `malformed` when the header is
 * not a single bearer credential.
 * @example
 * const token = bearerToken(request.headers.authorization);
 * @since 0.1.0
 */
export function bearerToken(authorization: string | readonly string[] | undefined | null): string {
  if (authorization === undefined || authorization === null || authorization === '') {
    throw refuseMandate('missing_token', 'A bearer mandate is required (Authorization: Bearer <mandate>).');
  }
  if (typeof authorization !== 'string') throw refuseMandate('malformed', 'Send exactly one Authorization header.');
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(authorization);
  if (match === null) throw refuseMandate('missing_token', 'The Authorization header is not a bearer credential.');
  return match[1] as string;
}

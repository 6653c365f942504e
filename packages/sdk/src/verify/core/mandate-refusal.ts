import { CaracalError, isCaracalError } from '../../errors.ts';

/**
 * Why a mandate was refused. Each reason names exactly one failed check, so a caller (or its
 * operator reading logs) knows what to fix without guessing.
 * @since 0.1.0
 */
export type MandateRefusalReason =
  /** No `Authorization: Bearer` header, or an empty token. */
  | 'missing_token'
  /** Not a compact JWS, an undecodable header or payload, wrong `typ`, or a required claim missing or mistyped. */
  | 'malformed'
  /** The header's `alg` is not ES256 (`none`, HS256 and every other algorithm are refused). */
  | 'unsupported_algorithm'
  /** The signature does not verify against the zone key named by `kid`. */
  | 'bad_signature'
  /** No zone key has this `kid`, even after refetching the JWKS. */
  | 'unknown_key'
  | 'expired'
  /** `nbf` or `iat` is in the future (beyond the clock tolerance). */
  | 'not_yet_valid'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'wrong_zone'
  /** `use` is not one this receiver accepts (by default per-call mandates only). */
  | 'wrong_use'
  /** A protocol mandate (`use: "protocol"`) presented for a request that acts (an MCP `tools/call`), or where the receiver cannot tell. */
  | 'protocol_mandate'
  | 'insufficient_scope'
  | 'agent_required'
  | 'delegation_required'
  | 'hop_limit';

/**
 * A `MANDATE_INVALID` error carries its {@link MandateRefusalReason} both as `reason` and as
 * `serverCode`, so code that only knows `CaracalError` still sees it.
 * @since 0.1.0
 */
export type MandateRefusal = CaracalError & { readonly code: 'MANDATE_INVALID'; readonly reason: MandateRefusalReason };

/**
 * Builds the `MANDATE_INVALID` error for `reason`.
 * @internal
 */
export function refuseMandate(reason: MandateRefusalReason, message: string, cause?: unknown): MandateRefusal {
  const error = new CaracalError('MANDATE_INVALID', message, { serverCode: reason, status: 401, cause });
  Object.defineProperty(error, 'reason', { value: reason, enumerable: true });
  return error as MandateRefusal;
}

/**
 * The refusal reason of a `MANDATE_INVALID` error, or `undefined` for any other value.
 * @example
 * try { await verifier.verify(token) }
 * catch (error) { if (mandateRefusalReason(error) === 'expired') refreshAndRetry() }
 * @since 0.1.0
 */
export function mandateRefusalReason(error: unknown): MandateRefusalReason | undefined {
  if (!isCaracalError(error) || error.code !== 'MANDATE_INVALID') return undefined;
  return (error as Partial<MandateRefusal>).reason ?? (error.serverCode as MandateRefusalReason | undefined);
}

import { decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWSHeaderParameters, type JWTPayload } from 'jose';
import type { JwksCache } from './jwks-cache.ts';
import { refuseMandate, type MandateRefusalReason } from './mandate-refusal.ts';

/** Longest token accepted; anything longer is refused before any parsing (a cheap DoS guard). */
export const MAX_TOKEN_LENGTH = 16 * 1024;

/** What jose must check, besides the signature. @internal */
export interface SignatureChecks {
  readonly issuer: string;
  readonly audience: string | string[];
  readonly clockToleranceSeconds: number;
  readonly now: () => number;
}

function header(token: string): JWSHeaderParameters {
  if (token.length === 0) throw refuseMandate('missing_token', 'No mandate was presented.');
  if (token.length > MAX_TOKEN_LENGTH) throw refuseMandate('malformed', `The mandate is longer than ${MAX_TOKEN_LENGTH} characters.`);
  let protectedHeader: JWSHeaderParameters;
  try {
    protectedHeader = decodeProtectedHeader(token) as JWSHeaderParameters;
  } catch (error) {
    throw refuseMandate('malformed', 'The mandate is not a compact JWS.', error);
  }
  if (protectedHeader.alg !== 'ES256') {
    throw refuseMandate('unsupported_algorithm', `The mandate is signed with "${String(protectedHeader.alg)}"; only ES256 is accepted.`);
  }
  const typ = typeof protectedHeader.typ === 'string' ? protectedHeader.typ.toLowerCase().replace(/^application\//, '') : undefined;
  if (typ !== 'at+jwt') throw refuseMandate('malformed', `The mandate's typ is "${String(protectedHeader.typ)}", not "at+jwt".`);
  return protectedHeader;
}

function claimReason(claim: string): MandateRefusalReason {
  switch (claim) {
    case 'nbf':
    case 'iat':
      return 'not_yet_valid';
    case 'exp':
      return 'expired';
    case 'iss':
      return 'wrong_issuer';
    case 'aud':
      return 'wrong_audience';
    default:
      return 'malformed';
  }
}

/** Maps jose's errors onto refusal reasons; anything else passes through unchanged. */
function translate(error: unknown): unknown {
  if (error instanceof joseErrors.JWTExpired) return refuseMandate('expired', 'The mandate has expired.', error);
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    const reason = claimReason(error.claim);
    return refuseMandate(reason, reason === 'malformed' ? `The mandate's "${error.claim}" claim is invalid.` : `${error.message}.`, error);
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return refuseMandate('bad_signature', 'The mandate signature does not verify.', error);
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return refuseMandate('unsupported_algorithm', 'Only ES256 mandates are accepted.', error);
  if (error instanceof joseErrors.JOSEError) return refuseMandate('malformed', `The mandate could not be read: ${error.message}`, error);
  return error;
}

/**
 * Checks the header (ES256, `at+jwt`), resolves the zone key, then lets jose verify the
 * signature, issuer, audience, `exp` and `nbf`. Resolves to the payload, unchecked otherwise.
 * @internal
 */
export async function verifySignature(token: string, keys: JwksCache, checks: SignatureChecks): Promise<JWTPayload> {
  const key = await keys.keyFor(header(token));
  const currentDate = new Date(checks.now());
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ['ES256'],
      issuer: checks.issuer,
      audience: checks.audience,
      clockTolerance: checks.clockToleranceSeconds,
      currentDate,
    });
    // jose leaves a future `iat` alone unless maxTokenAge is set; a token minted "later" is not valid yet.
    if (typeof payload.iat === 'number' && payload.iat > currentDate.getTime() / 1000 + checks.clockToleranceSeconds) {
      throw refuseMandate('not_yet_valid', 'The mandate was issued in the future (iat).');
    }
    return payload;
  } catch (error) {
    throw translate(error);
  }
}

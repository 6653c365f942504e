import { errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { ZoneKeyStore } from '../keys/zone-key-store.ts';
import { MANDATE_USES, type MandateClaims, type MandateUse } from '@caracal/protocol';
import type { VerifiedMandateCache } from './verified-mandate-cache.ts';

/** Why a mandate was refused; stable codes for `/v1/verify` and logs. */
export type MandateRejection =
  | 'invalid_token'
  | 'token_expired'
  | 'token_not_yet_valid'
  | 'invalid_issuer'
  | 'invalid_audience'
  | 'wrong_use';

/** A refused mandate; `code` says why, `message` says it to a human. */
export class MandateRejectedError extends Error {
  readonly code: MandateRejection;

  constructor(code: MandateRejection, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MandateRejectedError';
    this.code = code;
  }
}

export interface VerifyMandateOptions {
  keyStore: ZoneKeyStore;
  /** The expected `iss`. */
  issuer: string;
  /** Milliseconds since the epoch. */
  now: number;
  /** Accepted `use` values; any when unset. */
  uses?: readonly MandateUse[];
  /** Expected `aud`; not checked when unset. */
  audience?: string;
  /** Allowed clock skew for `exp`/`nbf`/`iat`, seconds. Default 10. */
  clockToleranceSeconds?: number;
  /** Skips the signature check for tokens that verified recently (everything else is re-checked). */
  cache?: VerifiedMandateCache;
}

const USES: ReadonlySet<string> = new Set(MANDATE_USES);

/**
 * Verifies a mandate: ES256 only (so `none` and HS256-with-the-public-key never pass), `typ`
 * at+jwt, a `kid` of a key that is active or still inside its grace period, the key's zone equal
 * to the `zone_id` claim, issuer, audience, time with a small skew, and the claim shapes.
 */
export async function verifyMandate(token: string, options: VerifyMandateOptions): Promise<MandateClaims> {
  const cached = options.cache?.get(token, options.now);
  if (cached !== undefined) {
    const key = await usableKey(cached.kid, options);
    return checkClaims(cached.claims, key.zoneId, options);
  }
  let kid: string | undefined;
  let keyZone: string | undefined;
  const getKey: JWTVerifyGetKey = async (header) => {
    const key = await usableKey(header.kid, options);
    kid = key.kid;
    keyZone = key.zoneId;
    return key.publicKey;
  };
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, getKey, {
      algorithms: ['ES256'],
      typ: 'at+jwt',
      issuer: options.issuer,
      audience: options.audience,
      currentDate: new Date(options.now),
      clockTolerance: options.clockToleranceSeconds ?? 10,
      requiredClaims: ['exp', 'iat', 'jti', 'sub'],
    }));
  } catch (error) {
    throw asRejection(error);
  }
  const claims = checkClaims(payload as unknown as MandateClaims, keyZone!, options);
  options.cache?.set(token, { claims, kid: kid! }, options.now);
  return claims;
}

async function usableKey(kid: unknown, options: VerifyMandateOptions) {
  if (typeof kid !== 'string' || kid === '' || kid.length > 64) {
    throw new MandateRejectedError('invalid_token', 'the mandate has no usable kid');
  }
  const key = await options.keyStore.verificationKey(kid, options.now);
  if (key === undefined) throw new MandateRejectedError('invalid_token', 'the mandate was signed by an unknown key');
  if (key.notAfter !== null && options.now >= key.notAfter) {
    throw new MandateRejectedError('invalid_token', 'the mandate was signed by a retired key');
  }
  return key;
}

/** The checks beyond the signature; jose did the same on a fresh verification, a cache hit relies on these. */
function checkClaims(claims: MandateClaims, keyZone: string, options: VerifyMandateOptions): MandateClaims {
  const now = Math.floor(options.now / 1000);
  const tolerance = options.clockToleranceSeconds ?? 10;
  if (typeof claims.zone_id !== 'string' || claims.zone_id !== keyZone) {
    throw new MandateRejectedError('invalid_token', "the mandate's zone does not match its signing key");
  }
  if (
    typeof claims.client_id !== 'string' ||
    typeof claims.scope !== 'string' ||
    typeof claims.aud !== 'string' ||
    typeof claims.exp !== 'number' ||
    typeof claims.use !== 'string' ||
    !USES.has(claims.use)
  ) {
    throw new MandateRejectedError('invalid_token', 'the mandate lacks required claims');
  }
  if (claims.iss !== options.issuer) throw new MandateRejectedError('invalid_issuer', 'the mandate was issued by another issuer');
  if (options.audience !== undefined && claims.aud !== options.audience) {
    throw new MandateRejectedError('invalid_audience', 'the mandate is meant for another audience');
  }
  if (claims.exp <= now - tolerance) throw new MandateRejectedError('token_expired', 'the mandate has expired');
  if (typeof claims.nbf === 'number' && claims.nbf > now + tolerance) {
    throw new MandateRejectedError('token_not_yet_valid', 'the mandate is not valid yet');
  }
  // jose checks a future `iat` only with maxTokenAge; a mandate minted "later" than now is not valid yet.
  if (typeof claims.iat === 'number' && claims.iat > now + tolerance) {
    throw new MandateRejectedError('token_not_yet_valid', 'the mandate was issued in the future');
  }
  if (options.uses !== undefined && !options.uses.includes(claims.use)) {
    throw new MandateRejectedError('wrong_use', `a ${claims.use} mandate is not accepted here`);
  }
  return claims;
}

function asRejection(error: unknown): MandateRejectedError {
  if (error instanceof MandateRejectedError) return error;
  if (error instanceof errors.JWTExpired) return new MandateRejectedError('token_expired', 'the mandate has expired', { cause: error });
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'nbf':
        return new MandateRejectedError('token_not_yet_valid', 'the mandate is not valid yet', { cause: error });
      case 'iat':
        return new MandateRejectedError('token_not_yet_valid', 'the mandate was issued in the future', { cause: error });
      case 'iss':
        return new MandateRejectedError('invalid_issuer', 'the mandate was issued by another issuer', { cause: error });
      case 'aud':
        return new MandateRejectedError('invalid_audience', 'the mandate is meant for another audience', { cause: error });
      default:
        return new MandateRejectedError('invalid_token', `the mandate's ${error.claim} claim is invalid`, { cause: error });
    }
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return new MandateRejectedError('invalid_token', 'the mandate is not signed with ES256', { cause: error });
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new MandateRejectedError('invalid_token', 'the mandate signature does not verify', { cause: error });
  }
  return new MandateRejectedError('invalid_token', 'the mandate is malformed', { cause: error });
}

import { randomUUID, sign } from 'node:crypto';
import type { SigningKey } from '../keys/zone-key-store.ts';
import type { MandateClaims } from './mandate-claims.ts';

/** A fresh `jti`. */
export function newMandateId(): string {
  return randomUUID();
}

/** The protected header of every mandate signed with `kid`, base64url-encoded. */
export function encodedMandateHeader(kid: string): string {
  return Buffer.from(JSON.stringify({ alg: 'ES256', typ: 'at+jwt', kid })).toString('base64url');
}

/**
 * Signs claims as a mandate: a compact JWS, ES256, `typ: at+jwt` (RFC 9068), `kid` of the zone
 * key. Assembled here with node:crypto rather than through a JOSE library because it runs on
 * every mint: a synchronous `sign` with a KeyObject costs half of a WebCrypto signature, and the
 * header is encoded once per key. The signature is the raw r‖s pair JWS requires (RFC 7518 §3.4).
 */
export function signMandate(key: SigningKey, claims: MandateClaims): string {
  const signingInput = `${key.encodedHeader}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  const signature = sign('sha256', Buffer.from(signingInput), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${signingInput}.${signature.toString('base64url')}`;
}

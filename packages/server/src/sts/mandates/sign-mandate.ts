import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { SigningKey } from '../keys/zone-key-store.ts';
import type { MandateClaims } from '@caracal/protocol';

/** A fresh `jti`. */
export function newMandateId(): string {
  return randomUUID();
}

/** Signs claims as a mandate: ES256, `typ: at+jwt` (RFC 9068), `kid` of the zone key. */
export async function signMandate(key: SigningKey, claims: MandateClaims): Promise<string> {
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: key.kid })
    .sign(key.privateKey);
}

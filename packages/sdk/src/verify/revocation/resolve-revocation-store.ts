import type { RevocationSource } from './revocation-source.ts';
import type { RevocationStore } from './revocation-store.ts';

/** A store given directly, or the store a source feeds. @internal */
export function resolveRevocationStore(revocation: RevocationSource | RevocationStore | undefined): RevocationStore | undefined {
  if (revocation === undefined) return undefined;
  return 'isRevoked' in revocation ? revocation : revocation.store;
}

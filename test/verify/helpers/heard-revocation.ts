import type { RevocationStore } from '@caracal/sdk/verify';

/** Resolves once `store` has heard that `sessionId` was revoked (at once when it already has). */
export function heardRevocation(store: RevocationStore, sessionId: string): Promise<void> {
  return new Promise((resolve) => {
    if (store.isRevoked({ sessionId })) return resolve();
    const unsubscribe = store.onRevoked((revocation) => {
      if (!revocation.sessionIds.includes(sessionId)) return;
      unsubscribe();
      resolve();
    });
  });
}

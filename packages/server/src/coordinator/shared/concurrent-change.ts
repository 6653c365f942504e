import { ServerError } from '../../http/server-error.ts';

/** Detail code of the refusal a subtree change raises when its subtree changed under it. */
export const CONCURRENT_CHANGE = 'concurrent_change';

const ATTEMPTS = 8;

function isRetryable(error: unknown): boolean {
  if (error instanceof ServerError) return error.code === CONCURRENT_CHANGE;
  const code = (error as { code?: unknown }).code;
  // deadlock_detected, serialization_failure: nothing was applied, the next attempt can succeed.
  return code === '40P01' || code === '40001';
}

/**
 * Runs a subtree change again while it reports that something was attached to its subtree
 * concurrently (or lost a deadlock): each attempt is one statement with a fresh snapshot, so it
 * converges as soon as no writer slips in between snapshot and lock. After the last attempt the
 * 409 `concurrent_change` reaches the caller, who may retry.
 */
export async function retryingConcurrentChanges<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= ATTEMPTS || !isRetryable(error)) throw error;
    }
  }
}

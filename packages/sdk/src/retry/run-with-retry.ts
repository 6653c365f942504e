import pRetry, { AbortError } from 'p-retry';
import { CaracalError, isCaracalError } from '../errors.ts';
import { backoffDelay } from './backoff.ts';
import type { Clock } from '../time/clock.ts';
import { isRetryable } from './is-retryable.ts';
import type { RetryAttemptContext, RetryPolicy } from './retry-policy.ts';

/** @internal */
export interface RunWithRetryOptions {
  readonly policy: RetryPolicy;
  readonly clock: Clock;
  /** Whether repeating the call is safe (GET, DELETE, or a create with an idempotency key). */
  readonly idempotent: boolean;
  readonly signal?: AbortSignal | undefined;
  /** Randomness for jitter, injectable for tests. @default Math.random */
  readonly random?: (() => number) | undefined;
}

function asCaracalError(error: unknown): CaracalError {
  return isCaracalError(error) ? error : new CaracalError('REQUEST_FAILED', 'The request failed.', { cause: error });
}

/**
 * Runs `operation` under the retry policy. p-retry drives the loop; the wait itself is ours so it
 * can honour `Retry-After`, use the injected clock, and stop at the policy's time budget.
 * `operation` receives the 1-based attempt number so its errors can say which attempt failed.
 * @internal
 */
export function runWithRetry<T>(operation: (attempt: number) => Promise<T>, options: RunWithRetryOptions): Promise<T> {
  const { policy, clock, signal } = options;
  const random = options.random ?? Math.random;
  const startedAt = clock.now();
  return pRetry(operation, {
    retries: policy.retries,
    // p-retry's own timer is switched off: shouldRetry below waits with the injected clock.
    minTimeout: 0,
    onFailedAttempt({ error, attemptNumber, retriesLeft }) {
      const context: RetryAttemptContext = Object.freeze({ error: asCaracalError(error), attempt: attemptNumber, retriesLeft });
      policy.onFailedAttempt?.(context);
    },
    async shouldRetry({ error, attemptNumber, retriesLeft }) {
      const failure = asCaracalError(error);
      if (!isRetryable(failure, policy, { idempotent: options.idempotent })) return false;
      if (policy.shouldRetry?.(Object.freeze({ error: failure, attempt: attemptNumber, retriesLeft })) === false) return false;
      if (failure.retryAfterMs !== undefined && failure.retryAfterMs > policy.maxRetryAfterMs) return false;
      const delay = Math.max(backoffDelay(attemptNumber, policy, random), failure.retryAfterMs ?? 0);
      if (clock.now() - startedAt + delay > policy.maxElapsedMs) return false;
      await clock.sleep(delay, signal);
      return true;
    },
  });
}

/**
 * Marks an error as final: `runWithRetry` rethrows it as is without another attempt. Used for
 * failures that already went through their own retries (fetching a bearer token).
 * @internal
 */
export function doNotRetry(error: unknown): never {
  throw new AbortError(error instanceof Error ? error : new Error(String(error)));
}

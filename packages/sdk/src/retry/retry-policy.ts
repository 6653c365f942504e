import type { CaracalError } from '../errors.ts';

/**
 * What a policy hook sees about a failed attempt. Frozen.
 * @since 0.1.0
 */
export interface RetryAttemptContext {
  readonly error: CaracalError;
  /** The attempt that failed, 1-based. */
  readonly attempt: number;
  readonly retriesLeft: number;
}

/**
 * How the SDK retries calls to the Coordinator and STS. Plain data: every field has a default,
 * and `backoffDelay()` is a pure function of it. Creates carry an `Idempotency-Key` that stays
 * the same across retries, so a retried create never makes a second row.
 * @example
 * new Caracal({ ...options, retry: { retries: 5, maxDelayMs: 10_000 } });
 * @since 0.1.0
 */
export interface RetryPolicy {
  /** Retries after the first attempt (so `retries + 1` attempts at most). @default 3 */
  readonly retries: number;
  /** Delay before the first retry. @default 200 */
  readonly minDelayMs: number;
  /** Cap on any computed backoff delay. @default 5000 */
  readonly maxDelayMs: number;
  /** Growth of the delay per retry. @default 2 */
  readonly factor: number;
  /**
   * Fraction of each delay that is randomised, 0–1: the delay lands between `(1 - jitter) × d`
   * and `d`, so many clients retrying at once spread out. @default 0.5
   */
  readonly jitter: number;
  /** A `Retry-After` longer than this ends retrying instead of waiting. @default 30000 */
  readonly maxRetryAfterMs: number;
  /** Time budget for all attempts and waits together. @default 60000 */
  readonly maxElapsedMs: number;
  /** HTTP statuses worth retrying. @default [408, 429, 500, 502, 503, 504] */
  readonly retryableStatuses: readonly number[];
  /**
   * SDK error codes worth retrying (errors without a response). For calls that are not idempotent
   * only connection failures are retried, whatever this says. @default ['NETWORK_ERROR', 'REQUEST_TIMEOUT']
   */
  readonly retryableErrorCodes: readonly string[];
  /** Extra veto, asked only for errors the policy would retry; return false to stop. @default undefined */
  readonly shouldRetry?: ((context: RetryAttemptContext) => boolean) | undefined;
  /** Observer for every failed attempt (logging, metrics). @default undefined */
  readonly onFailedAttempt?: ((context: RetryAttemptContext) => void) | undefined;
}

/**
 * The defaults of {@link RetryPolicy}.
 * @since 0.1.0
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  retries: 3,
  minDelayMs: 200,
  maxDelayMs: 5000,
  factor: 2,
  jitter: 0.5,
  maxRetryAfterMs: 30_000,
  maxElapsedMs: 60_000,
  retryableStatuses: Object.freeze([408, 429, 500, 502, 503, 504]),
  retryableErrorCodes: Object.freeze(['NETWORK_ERROR', 'REQUEST_TIMEOUT']),
});

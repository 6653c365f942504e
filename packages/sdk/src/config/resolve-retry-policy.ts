import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../retry/retry-policy.ts';
import type { ConfigIssues } from './config-issues.ts';

type NumberRule = readonly [field: 'retries' | 'minDelayMs' | 'maxDelayMs' | 'factor' | 'jitter' | 'maxRetryAfterMs' | 'maxElapsedMs', min: number, max: number, integer: boolean];

const NUMBER_RULES: readonly NumberRule[] = [
  ['retries', 0, 100, true],
  ['minDelayMs', 0, Number.MAX_SAFE_INTEGER, false],
  ['maxDelayMs', 0, Number.MAX_SAFE_INTEGER, false],
  ['factor', 1, 100, false],
  ['jitter', 0, 1, false],
  ['maxRetryAfterMs', 0, Number.MAX_SAFE_INTEGER, false],
  ['maxElapsedMs', 0, Number.MAX_SAFE_INTEGER, false],
];

/**
 * Merges `retry` overrides onto the defaults, reporting each bad field as `retry.<field>`.
 * @internal
 */
export function resolveRetryPolicy(overrides: Partial<RetryPolicy> | undefined, issues: ConfigIssues): RetryPolicy {
  if (overrides === undefined) return DEFAULT_RETRY_POLICY;
  if (typeof overrides !== 'object' || overrides === null) {
    issues.add('retry', 'must be an object of retry policy fields');
    return DEFAULT_RETRY_POLICY;
  }
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...defined };
  for (const [field, min, max, integer] of NUMBER_RULES) {
    const value = policy[field];
    const valid = typeof value === 'number' && value >= min && value <= max && (!integer || Number.isInteger(value));
    if (!valid) issues.add(`retry.${field}`, `must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got ${String(value)}`);
  }
  if (!Array.isArray(policy.retryableStatuses) || !policy.retryableStatuses.every((status) => Number.isInteger(status) && status >= 100 && status <= 599)) {
    issues.add('retry.retryableStatuses', 'must be an array of HTTP status codes');
  }
  if (!Array.isArray(policy.retryableErrorCodes) || !policy.retryableErrorCodes.every((code) => typeof code === 'string')) {
    issues.add('retry.retryableErrorCodes', 'must be an array of error code strings');
  }
  for (const hook of ['shouldRetry', 'onFailedAttempt'] as const) {
    if (policy[hook] !== undefined && typeof policy[hook] !== 'function') issues.add(`retry.${hook}`, 'must be a function');
  }
  return Object.freeze(policy);
}

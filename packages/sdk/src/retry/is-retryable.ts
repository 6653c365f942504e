import type { CaracalError } from '../errors.ts';
import type { RetryPolicy } from './retry-policy.ts';

/** Failures that prove the request never reached the server, so even a non-idempotent call may repeat. */
const CONNECT_FAILURES = new Set(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Statuses by which a server says it did not process the request (rate limited, unavailable). */
const NOT_PROCESSED_STATUSES = new Set([429, 503]);

function causeCode(error: CaracalError): string | undefined {
  const cause = error.cause as { code?: unknown } | undefined;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

/**
 * Whether the policy allows another attempt after `error`. Calls that are not idempotent (no
 * `Idempotency-Key`, not a GET or DELETE) are only repeated when the server cannot have acted on
 * them: connection failures, 429 and 503.
 * @internal
 */
export function isRetryable(error: CaracalError, policy: RetryPolicy, options: { idempotent: boolean }): boolean {
  if (error.status !== undefined) {
    if (!policy.retryableStatuses.includes(error.status)) return false;
    return options.idempotent || NOT_PROCESSED_STATUSES.has(error.status);
  }
  if (!policy.retryableErrorCodes.includes(error.code)) return false;
  if (options.idempotent) return true;
  const code = causeCode(error);
  return code !== undefined && CONNECT_FAILURES.has(code);
}

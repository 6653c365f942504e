import { CaracalError, isCaracalError, type CaracalErrorCode } from '../../errors.ts';
import { systemClock, type Clock } from '../../time/clock.ts';
import { parseRetryAfter } from '../../retry/parse-retry-after.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../retry/retry-policy.ts';
import { doNotRetry, runWithRetry } from '../../retry/run-with-retry.ts';
import type { DispatchRequest, Interceptor } from '../dispatch.ts';
import { asNetworkError, isAbort } from './network-failure.ts';

/**
 * Options of {@link withRetry}.
 * @since 0.1.0
 */
export interface WithRetryOptions {
  /** Overrides of the shared retry policy (`DEFAULT_RETRY_POLICY`). */
  readonly policy?: Partial<RetryPolicy> | undefined;
  /**
   * Whether a request that may already have reached the server can be sent again (after a 500,
   * 502, 504, 408 or a connection reset). When false only failures the server cannot have acted
   * on are repeated: refused connections, 429 and 503.
   * @default request => GET, HEAD, OPTIONS, PUT or DELETE
   */
  readonly idempotent?: boolean | ((request: DispatchRequest) => boolean) | undefined;
  /** @default systemClock */
  readonly clock?: Clock | undefined;
  /** Randomness for jitter, in [0, 1). @default Math.random */
  readonly random?: (() => number) | undefined;
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

function codeForStatus(status: number): CaracalErrorCode {
  if (status === 429) return 'RATE_LIMITED';
  if (status === 408) return 'REQUEST_TIMEOUT';
  return status >= 500 ? 'SERVER_ERROR' : 'REQUEST_FAILED';
}

/**
 * Sorts a failure without a response: errors the inner interceptors raised on purpose (no
 * context, a refused exchange, which went through its own retries) and aborts are final; what
 * fetch throws for a lost connection becomes a retryable `NETWORK_ERROR`.
 */
function attemptFailure(error: unknown, request: DispatchRequest, attempt: number): never {
  if (isCaracalError(error) || isAbort(error, request.signal)) doNotRetry(error);
  throw asNetworkError(error, request, attempt);
}

/**
 * Repeats a request after transient failures, under the shared retry policy (the same one the
 * Coordinator and STS calls use): exponential backoff with jitter, `Retry-After` honoured (in
 * seconds or as an HTTP date), a time budget, the request's signal. The body is the buffered one
 * of the first attempt, so every attempt sends the same bytes; interceptors placed inside run
 * again per attempt (a fresh mandate, a fresh span id).
 *
 * When retries run out on a retryable status, the last response is returned as it is (fetch
 * semantics); when they run out on network failures, the last `NETWORK_ERROR` is thrown.
 * @example
 * const send = compose(withRetry({ policy: { retries: 2 }, idempotent: true }), withTokenExchange(exchangeOptions))(fetchDispatch());
 * @since 0.1.0
 */
export function withRetry(options: WithRetryOptions = {}): Interceptor {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.policy };
  const clock = options.clock ?? systemClock;
  const idempotentOption = options.idempotent;
  const isIdempotent = (request: DispatchRequest): boolean =>
    typeof idempotentOption === 'function' ? idempotentOption(request) : (idempotentOption ?? IDEMPOTENT_METHODS.has(request.method.toUpperCase()));
  return (next) => async (request) => {
    let failed: { error: CaracalError; response: Response } | undefined;
    const attempt = async (attemptNumber: number): Promise<Response> => {
      // The previous attempt's response is released only now, once another attempt is certain.
      if (failed !== undefined) void failed.response.body?.cancel().catch(() => undefined);
      failed = undefined;
      let response: Response;
      try {
        response = await next(request);
      } catch (error) {
        attemptFailure(error, request, attemptNumber);
      }
      if (!policy.retryableStatuses.includes(response.status)) return response;
      const error = new CaracalError(codeForStatus(response.status), `${request.method} ${request.url} answered HTTP ${response.status}.`, {
        status: response.status,
        retryAfterMs: parseRetryAfter(response.headers.get('retry-after') ?? undefined, clock.now()),
        attempt: attemptNumber,
      });
      failed = { error, response };
      throw error;
    };
    try {
      return await runWithRetry(attempt, { policy, clock, random: options.random, idempotent: isIdempotent(request), signal: request.signal });
    } catch (error) {
      if (failed !== undefined && error === failed.error) return failed.response;
      throw error;
    }
  };
}

import { CaracalError } from '../../errors.ts';
import { systemClock, type Clock } from '../../time/clock.ts';
import type { Interceptor } from '../dispatch.ts';

/**
 * Options of {@link withTimeout}.
 * @since 0.1.0
 */
export interface WithTimeoutOptions {
  /** Time allowed until response headers arrive, everything inside included (retries, waits, exchanges). */
  readonly timeoutMs: number;
  /** @default systemClock */
  readonly clock?: Clock | undefined;
}

function describe(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return 'the request';
  }
}

/**
 * Bounds the time until a response arrives. Placed outside `withRetry`, it is one budget for all
 * attempts and backoff waits together. On expiry the work inside is aborted through the
 * request's signal (combined with the caller's) and the call rejects with `REQUEST_TIMEOUT`.
 *
 * Reading the body of a response that did arrive is not bounded, so a long SSE stream is not
 * cut off; give the request a signal to limit that.
 * @example
 * const send = compose(withTimeout({ timeoutMs: 30_000 }), withRetry({ policy }))(fetchDispatch());
 * @since 0.1.0
 */
export function withTimeout(options: WithTimeoutOptions): Interceptor {
  const { timeoutMs } = options;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new CaracalError('INVALID_ARGUMENT', `timeoutMs must be a positive number of milliseconds, got ${String(timeoutMs)}.`);
  }
  const clock = options.clock ?? systemClock;
  return (next) => (request) => {
    const abortWork = new AbortController();
    const stopTimer = new AbortController();
    const signal = request.signal === undefined ? abortWork.signal : AbortSignal.any([request.signal, abortWork.signal]);
    const timedOut = clock.sleep(timeoutMs, stopTimer.signal).then(() => {
      const error = new CaracalError('REQUEST_TIMEOUT', `${request.method} ${describe(request.url)} got no response within ${timeoutMs} ms (all attempts included).`);
      abortWork.abort(error);
      throw error;
    });
    // The timer's own rejection (when stopped) is expected and must not surface as unhandled.
    timedOut.catch(() => undefined);
    const work = next({ ...request, signal });
    // A response that loses the race is released so its connection is not held open.
    work.then(
      (response) => {
        if (abortWork.signal.aborted) void response.body?.cancel().catch(() => undefined);
      },
      () => undefined,
    );
    return Promise.race([work, timedOut]).finally(() => stopTimer.abort());
  };
}

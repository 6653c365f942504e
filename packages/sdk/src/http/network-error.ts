import { CaracalError } from '../errors.ts';

/** Why an attempt ended without a response. @internal */
export type AttemptEnd = 'timeout' | 'aborted' | 'failed';

/** @internal */
export interface NetworkFailure {
  readonly method: string;
  readonly url: URL;
  readonly reason: AttemptEnd;
  readonly timeoutMs: number;
  readonly attempt: number;
  readonly cause: unknown;
}

function causeCode(cause: unknown): string {
  const code = (cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? ` (${code})` : '';
}

/**
 * Turns a failure without a response into `REQUEST_TIMEOUT`, `REQUEST_ABORTED` (the caller's
 * signal) or `NETWORK_ERROR` (refused, reset, DNS …), keeping the low-level error as `cause`.
 * @internal
 */
export function errorFromNetworkFailure(failure: NetworkFailure): CaracalError {
  const target = `${failure.method} ${failure.url.origin}${failure.url.pathname}`;
  const details = { attempt: failure.attempt, cause: failure.cause };
  if (failure.reason === 'timeout') {
    return new CaracalError('REQUEST_TIMEOUT', `${target} timed out after ${failure.timeoutMs} ms.`, details);
  }
  if (failure.reason === 'aborted') {
    return new CaracalError('REQUEST_ABORTED', `${target} was aborted by the caller.`, details);
  }
  return new CaracalError('NETWORK_ERROR', `${target} failed before a response arrived${causeCode(failure.cause)}.`, details);
}

import { CaracalError, isCaracalError } from '../../errors.ts';
import type { DispatchRequest } from '../dispatch.ts';

/** The low-level code of a fetch failure (`ECONNREFUSED`, `ENOTFOUND` …): fetch hides it in `cause`. */
function failureCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current !== undefined && current !== null && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** True for an abort: the caller's signal, or fetch's `AbortError`. @internal */
export function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true || (error as { name?: unknown } | null)?.name === 'AbortError';
}

/**
 * What fetch threw for a request that got no response (`TypeError: fetch failed`), as a typed
 * `NETWORK_ERROR` naming the target and the low-level code; CaracalErrors and aborts pass as they are.
 * @internal
 */
export function asNetworkError(error: unknown, request: DispatchRequest, attempt?: number): unknown {
  if (isCaracalError(error) || isAbort(error, request.signal)) return error;
  const code = failureCode(error);
  const target = `${request.method} ${request.url}`;
  return new CaracalError('NETWORK_ERROR', `${target} failed before a response arrived${code === undefined ? '' : ` (${code})`}: is the server running and reachable?`, {
    attempt,
    cause: error,
  });
}
